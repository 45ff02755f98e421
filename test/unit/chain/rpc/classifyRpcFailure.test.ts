import { describe, expect, it } from 'vitest';
import { classifyRpcFailure, shouldRetry, type RpcFailure } from '../../../../src/chain/rpc/classifyRpcFailure.js';

const cases: [string, RpcFailure, string, boolean][] = [
  ['HTTP 429', { type: 'http', status: 429 }, 'rate_limited', true],
  ['HTTP 500', { type: 'http', status: 500 }, 'server_error', true],
  ['HTTP 503', { type: 'http', status: 503 }, 'server_error', true],
  ['HTTP 408', { type: 'http', status: 408 }, 'timeout', true],
  ['HTTP 401', { type: 'http', status: 401 }, 'http_error', false],
  ['HTTP 413', { type: 'http', status: 413 }, 'http_error', false],
  ['headers timeout', { type: 'network', code: 'UND_ERR_HEADERS_TIMEOUT' }, 'timeout', true],
  ['body timeout', { type: 'network', code: 'UND_ERR_BODY_TIMEOUT' }, 'timeout', true],
  ['AbortSignal.timeout', { type: 'network', code: undefined, name: 'TimeoutError' }, 'timeout', true],
  ['reset', { type: 'network', code: 'ECONNRESET' }, 'connection', true],
  ['refused', { type: 'network', code: 'ECONNREFUSED' }, 'connection', true],
  ['socket closed', { type: 'network', code: 'UND_ERR_SOCKET' }, 'connection', true],
  ['truncated JSON', { type: 'malformed' }, 'malformed', true],
  ['null block', { type: 'missing' }, 'missing_block', true],
  ['Infura limit in 200', { type: 'rpc', code: -32005, message: 'daily request count exceeded, request rate limited' }, 'rate_limited', true],
  ['Alchemy 429 in 200', { type: 'rpc', code: 429, message: 'Your app has exceeded its compute units per second capacity' }, 'rate_limited', true],
  ['rate limit only in message', { type: 'rpc', code: -32603, message: 'Too Many Requests' }, 'rate_limited', true],
  ['method not found', { type: 'rpc', code: -32601, message: 'the method trace_block does not exist/is not available' }, 'method_not_found', false],
  ['not supported under -32000', { type: 'rpc', code: -32000, message: 'method eth_getBlockReceipts not supported' }, 'method_not_found', false],
  ['not implemented filter', { type: 'rpc', code: -32000, message: 'the method is currently not implemented: eth_newFilter' }, 'method_not_found', false],
  ['invalid params', { type: 'rpc', code: -32602, message: 'invalid argument 0: hex string has leading zero digits' }, 'invalid_params', false],
  ['reverted code 3', { type: 'rpc', code: 3, message: 'execution reverted' }, 'reverted', false],
  ['reverted -32000', { type: 'rpc', code: -32000, message: 'execution reverted' }, 'reverted', false],
  ['header not found', { type: 'rpc', code: -32000, message: 'header not found' }, 'state_unavailable', true],
  ['missing trie node', { type: 'rpc', code: -32000, message: 'missing trie node 1a2b3c (path ) state 0xab is not available' }, 'state_unavailable', true],
  ['historical state (erigon, reth)', { type: 'rpc', code: -32000, message: 'historical state not available in path scheme yet' }, 'state_unavailable', true],
  ['state not available, not a missing method', { type: 'rpc', code: -32000, message: 'state not available' }, 'state_unavailable', true],
  ['unknown block (nethermind)', { type: 'rpc', code: -32001, message: 'unknown block' }, 'state_unavailable', true],
  ['-32601 wins over state words', { type: 'rpc', code: -32601, message: 'the method eth_foo does not exist/is not available' }, 'method_not_found', false],
  ['internal error', { type: 'rpc', code: -32603, message: 'internal error' }, 'server_error', true],
  ['invalid request', { type: 'rpc', code: -32600, message: 'invalid request' }, 'rpc_error', false],
];

// eth_getLogs ranges a node will not answer whole: a smaller range can succeed, the same one never.
const refusedLogRanges: [string, number, string][] = [
  ['Infura result cap (shares -32005 with its rate limit)', -32005, 'query returned more than 10000 results. Try with this block range [0x1, 0x2].'],
  ['Alchemy log response size', -32602, 'Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size'],
  ['reth max results', -32602, 'query exceeds max results 20000, retry with the range 1-2'],
  ['QuickNode range cap', -32614, 'eth_getLogs is limited to a 10,000 range'],
  ['QuickNode range cap, plural', -32614, 'eth_getLogs is limited to a 10,000 blocks range'],
  ['block range too wide', -32000, 'block range is too wide'],
  ['Alchemy free-tier range', -32600, 'Under the Free tier plan, you can make eth_getLogs requests with up to a 10 block range.'],
  ['Infura range limit', -32602, 'range 5000 exceeds limit of 3500'],
  ['dRPC range, not "not supported"', -32000, 'ranges over 10000 blocks are not supported on freetier'],
  ['range limit "exceeded", not a rate limit', -32005, 'Block range limit exceeded'],
  ['max block range', -32000, 'block range is larger than max block range'],
  ['Besu range limit', -32005, 'Requested range exceeds maximum RPC range limit'],
  ['Klaytn range limit', -32000, 'the block range is limited to 2000'],
];

// Log-query messages that are not a refused range: retried (or failed) as before.
const notRefusedRanges: [string, number, string, string][] = [
  ['a node behind', -32000, 'block range extends beyond current head block', 'server_error'],
  ['bad range parameters', -32602, 'invalid block range params', 'invalid_params'],
  ['a 429 that mentions a range', 429, 'too many requests for this block range is too large', 'rate_limited'],
  ['a log query cut off', -32005, 'query timeout exceeded', 'rate_limited'],
  ['a proxy batch limit', -32000, 'Response size is larger than 150MB limit', 'server_error'],
];

describe('classifyRpcFailure', () => {
  it.each(refusedLogRanges)('eth_getLogs refused: %s', (_name, code, message) => {
    const kind = classifyRpcFailure({ type: 'rpc', code, message }, 'eth_getLogs');
    expect(kind).toBe('too_many_results');
    expect(shouldRetry(kind)).toBe(false);
    // Another method never gets the kind: it cannot be split, so it keeps its usual treatment.
    expect(classifyRpcFailure({ type: 'rpc', code, message }, 'eth_getBlockReceipts')).not.toBe('too_many_results');
  });

  it.each(notRefusedRanges)('eth_getLogs, not a refused range: %s', (_name, code, message, kind) => {
    expect(classifyRpcFailure({ type: 'rpc', code, message }, 'eth_getLogs')).toBe(kind);
  });

  it.each(cases)('%s', (_name, failure, kind, retry) => {
    const classified = classifyRpcFailure(failure);
    expect(classified).toBe(kind);
    expect(shouldRetry(classified)).toBe(retry);
  });
});
