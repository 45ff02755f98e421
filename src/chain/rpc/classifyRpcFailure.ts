/**
 * The one place that decides whether an RPC failure is worth another attempt. Everything the
 * transport sees (HTTP status, JSON-RPC error object, socket error, unparseable body, a null
 * where a block must be) is first described as an RpcFailure, then mapped to a kind;
 * `shouldRetry` reads only the kind.
 *
 * A node's answer is suspect until proven otherwise: behind a load balancer or a hosted provider,
 * a garbled body, a node still importing a block or a pruned replica are everyday events that the
 * next attempt (on another endpoint first) cures. Only answers that no retry can change are final:
 * a method the node lacks, parameters it rejects, a reverted call, a 4xx.
 */
export type RpcFailure =
  | { type: 'http'; status: number }
  | { type: 'rpc'; code: number; message: string }
  | { type: 'network'; code: string | undefined; name?: string | undefined }
  | { type: 'malformed' }
  /** A null block, receipt or trace; the pool decides from the heads it has seen whether it may still come. */
  | { type: 'missing' };

export type RpcFailureKind =
  | 'rate_limited'
  | 'server_error'
  | 'timeout'
  | 'connection'
  | 'method_not_found'
  | 'invalid_params'
  | 'too_many_results'
  | 'reverted'
  | 'malformed'
  | 'state_unavailable'
  | 'missing_block'
  | 'http_error'
  | 'rpc_error';

const TRANSIENT_KINDS: ReadonlySet<RpcFailureKind> = new Set([
  'rate_limited',
  'server_error',
  'timeout',
  'connection',
  // Truncated, empty or HTML bodies and batch replies with wrong ids come from proxies and
  // overloaded nodes, not from the request: the same request succeeds on the next attempt.
  'malformed',
  'state_unavailable',
  // A null for a block at or below a head the pool has seen: a replica behind the balancer.
  'missing_block',
]);

export function shouldRetry(kind: RpcFailureKind): boolean {
  return TRANSIENT_KINDS.has(kind);
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);

// Hosted providers signal rate limits inside HTTP 200 bodies: Infura -32005 "limit exceeded",
// Alchemy code 429, QuickNode/Ankr -32090 or -32029, others only say so in the message. Treated
// like HTTP 429, otherwise a throttled batch would fail the whole export as a permanent error.
const RATE_LIMIT_CODES = new Set([429, -32005, -32029, -32090]);
const RATE_LIMIT_MESSAGE = /rate.?limit|too many requests|exceeded.*(capacity|quota|limit|throughput)|limit exceeded|throttl/i;
const METHOD_MISSING_MESSAGE = /not supported|does not exist|not available|not implemented|method not found|unsupported method/i;
const REVERTED_MESSAGE = /execution reverted|revert/i;
// A node that has not imported the block yet, or a pruned replica without its state: geth
// "header not found" and "missing trie node", erigon/reth "state ... is not available" and
// "historical state not available", nethermind "unknown block". Checked before the missing-method
// words, which share "not available"; another attempt or endpoint serves it.
const STATE_UNAVAILABLE_MESSAGE =
  /header not found|missing trie node|state (\S+ )?(is )?(not available|unavailable|pruned)|historical state|state not available|state histories haven't been fully indexed|unknown block|block not found|not (yet )?synced/i;
// An eth_getLogs range the node will not answer whole. Result caps: Infura -32005 "query returned
// more than 10000 results", reth "query exceeds max results", Alchemy "Log response size
// exceeded". Range caps: Infura "range 5000 exceeds limit of 3500", Alchemy "up to a 500 block
// range", QuickNode "limited to a 10,000 blocks range", dRPC "ranges over 10000 blocks are not
// supported", Besu "exceeds maximum RPC range limit", others "block range is too wide", "Block
// range limit exceeded", "larger than max block range". Not "block range extends beyond current
// head block" (a node behind: retry) nor a cut-off "query timeout exceeded" (retried as before).
// Applied to eth_getLogs only, after the unambiguous rate-limit codes and before the rate-limit
// and missing-method messages (Infura shares -32005, dRPC says "not supported"): retrying the same
// range cannot help, a smaller one can.
const TOO_MANY_RESULTS_MESSAGE =
  /more than [\d,]+ results|exceeds? max(imum)? results|log response size|block range (is )?(too|exceed|limit|larger|greater|bigger|over)|range too (large|wide|big)|max(imum)? ?(block|rpc) ?range|up to a [\d,]+ ?k? block range|limited to (a )?[\d,]+ (blocks? )?range|ranges? over [\d,]+ blocks|range [\d,]+ exceeds (the )?limit/i;
const RESULT_CAP_MESSAGE = /results|response size/i;
const UNAMBIGUOUS_RATE_LIMIT_CODES = new Set([429, -32029, -32090]);

/** Whether a refused log range was refused for its width (a fixed cap) rather than its result count. */
export function isRangeCap(message: string | undefined): boolean {
  return message !== undefined && TOO_MANY_RESULTS_MESSAGE.test(message) && !RESULT_CAP_MESSAGE.test(message);
}

/**
 * `method` matters only for eth_getLogs, the one call a caller can split into smaller ones; every
 * other method gets the same kind as without it.
 */
export function classifyRpcFailure(failure: RpcFailure, method?: string): RpcFailureKind {
  switch (failure.type) {
    case 'http':
      if (failure.status === 429) return 'rate_limited';
      if (failure.status === 408) return 'timeout';
      if (failure.status >= 500) return 'server_error';
      return 'http_error';
    case 'network':
      if (failure.name === 'TimeoutError' || (failure.code !== undefined && TIMEOUT_CODES.has(failure.code))) return 'timeout';
      // Resets, refusals, DNS hiccups and sockets closed mid-body are all worth another attempt.
      return 'connection';
    case 'malformed':
      return 'malformed';
    case 'missing':
      return 'missing_block';
    case 'rpc':
      return classifyRpcErrorObject(failure.code, failure.message, method === 'eth_getLogs');
  }
}

function classifyRpcErrorObject(code: number, message: string, logQuery: boolean): RpcFailureKind {
  if (logQuery && !UNAMBIGUOUS_RATE_LIMIT_CODES.has(code) && TOO_MANY_RESULTS_MESSAGE.test(message)) return 'too_many_results';
  if (RATE_LIMIT_CODES.has(code) || RATE_LIMIT_MESSAGE.test(message)) return 'rate_limited';
  if (code === -32601 || code === -32004) return 'method_not_found';
  if (STATE_UNAVAILABLE_MESSAGE.test(message)) return 'state_unavailable';
  if (METHOD_MISSING_MESSAGE.test(message)) return 'method_not_found';
  if (code === -32602) return 'invalid_params';
  if (code === 3 || REVERTED_MESSAGE.test(message)) return 'reverted';
  // -32603 internal error and the -32000..-32099 server range cover "header not found" on a node
  // still importing a block, busy tracers and upstream proxies timing out: ethereum-etl retries
  // them too.
  if (code === -32603 || (code <= -32000 && code >= -32099)) return 'server_error';
  return 'rpc_error';
}
