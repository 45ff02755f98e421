import { LedgerflowError, type LedgerflowErrorOptions } from '../../errors/LedgerflowError.js';

/**
 * What every RPC error knows: the method, the block it was about (when known) and the endpoint,
 * always masked. Subclasses differ in wording, fix and whether a retry can help.
 */
export interface RpcErrorFields {
  method: string;
  /** Masked endpoint (maskUrl), never the raw URL. */
  endpoint: string;
  block?: number | bigint | undefined;
  /** JSON-RPC error code or HTTP status, when the node gave one. */
  code?: number | undefined;
  /** The node's own message, trimmed; nodes never echo our URL, so it is safe to show. */
  detail?: string | undefined;
  cause?: unknown;
}

function options(fields: RpcErrorFields, fix: string): LedgerflowErrorOptions {
  return {
    // Method, block and endpoint are in the message already; typed `fields` carry them for code.
    context: { code: fields.code },
    fix,
    cause: fields.cause,
  };
}

function describeCall(fields: RpcErrorFields): string {
  return fields.block === undefined ? fields.method : `${fields.method} for block ${fields.block}`;
}

function withDetail(text: string, detail: string | undefined): string {
  return detail ? `${text}: ${detail.slice(0, 200)}` : text;
}

const METHOD_FIXES: Record<string, string> = {
  trace_block: 'use a node that serves trace_block (Erigon, Reth, Nethermind, OpenEthereum) or drop the traces entity',
  debug_traceBlockByNumber: 'use a node with the debug API enabled (geth --http.api debug) or drop the geth_traces entity',
  eth_getBlockReceipts: 'use a node that serves eth_getBlockReceipts, or fetch receipts per transaction',
  eth_getLogs: 'use a node that serves eth_getLogs, or export without --contracts (logs then come from the receipts)',
};

/** The node does not implement the method (-32601, "not supported", "does not exist"). */
export class RpcMethodNotFoundError extends LedgerflowError {
  override readonly name = 'RpcMethodNotFoundError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`RPC method ${fields.method} is not available on ${fields.endpoint}${fields.block === undefined ? '' : ` (needed for block ${fields.block})`}`, fields.detail),
      options(fields, METHOD_FIXES[fields.method] ?? `use a node that serves ${fields.method} or drop the entity that needs it`),
    );
  }
}

/** The node rejected the parameters (-32602): a bug on our side or an unsupported parameter form. */
export class RpcInvalidParamsError extends LedgerflowError {
  override readonly name = 'RpcInvalidParamsError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`${fields.endpoint} rejected the parameters of ${describeCall(fields)}`, fields.detail),
      options(fields, 'check that the node supports this parameter form (block tags, tracer options); report it if it should'),
    );
  }
}

/**
 * The node refuses to answer an eth_getLogs range whole (too many logs, or a range cap). Callers
 * that can ask for less split the range; this error reaching a user means one block was too much.
 */
export class RpcResultTooLargeError extends LedgerflowError {
  override readonly name = 'RpcResultTooLargeError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`${fields.endpoint} refused ${describeCall(fields)} as too large`, fields.detail),
      options(fields, 'use a node without a cap on eth_getLogs results (a self-hosted node), or export without --contracts'),
    );
  }
}

/**
 * The node answered null for a block above every head the pool has seen (and above the height
 * the caller vouched for): a block that does not exist yet, or a range past the chain's tip.
 */
export class RpcBlockNotFoundError extends LedgerflowError {
  override readonly name = 'RpcBlockNotFoundError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields & { knownHeight?: number | undefined }) {
    super(
      `${fields.endpoint} does not have ${fields.block === undefined ? 'the requested block' : `block ${fields.block}`} (${fields.method} returned null${fields.knownHeight === undefined ? '' : `; highest head seen ${fields.knownHeight}`})`,
      options(fields, 'ask for blocks at or below the chain head, use a synced archive node, or wait until the node has caught up past this block'),
    );
  }
}

/**
 * An answer of the wrong shape that got past the pool (a log list that is not a list). Garbled
 * answers are transient: the pool retries bad envelopes itself, and this one is retried with the
 * activity.
 */
export class RpcInvalidResponseError extends LedgerflowError {
  override readonly name = 'RpcInvalidResponseError';
  readonly retryable = true;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`malformed JSON-RPC response from ${fields.endpoint} to ${describeCall(fields)}`, fields.detail),
      options(fields, 'check the node or any proxy in front of it (response size limits, batch size limits); lower RPC_BATCH_SIZE if the node cuts large batches'),
    );
  }
}

/** The call ran and reverted (code 3, "execution reverted"): an answer about the contract, not the node. */
export class RpcExecutionRevertedError extends LedgerflowError {
  override readonly name = 'RpcExecutionRevertedError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`${describeCall(fields)} reverted on ${fields.endpoint}`, fields.detail),
      options(fields, 'a reverted call is the contract\'s answer; handle it in the caller'),
    );
  }
}

/** Any other JSON-RPC error object the node returned that a retry cannot fix. */
export class RpcRemoteError extends LedgerflowError {
  override readonly name = 'RpcRemoteError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`${fields.endpoint} returned error ${fields.code ?? '?'} for ${describeCall(fields)}`, fields.detail),
      options(fields, 'read the node message; if the call is expected to fail (a reverted eth_call), handle it in the caller; if the node limits batches, lower RPC_BATCH_SIZE'),
    );
  }
}

/** What one endpoint answered to one attempt, kept to name every endpoint in the final error. */
export interface RpcAttemptRecord {
  endpoint: string;
  kind: string;
  detail?: string | undefined;
}

const UNAVAILABLE_FIXES: Record<string, string> = {
  missing_block:
    'the endpoints answer null for a block at or below their head: use synced archive nodes, or wait until they catch up; for receipts by transaction hash, run geth with --history.transactions 0 (formerly --txlookuplimit 0) so it indexes every transaction',
  state_unavailable: 'the endpoints cannot serve the state or the block yet: use an archive node, or wait until they catch up',
  malformed: 'check the node or any proxy in front of it (response size limits, HTML error pages); lower RPC_BATCH_SIZE if the node cuts large batches',
};
const DEFAULT_UNAVAILABLE_FIX = 'check that the node is up and reachable; on 429 lower RPC_MAX_RPS or RPC_BATCH_SIZE; add endpoints to RPC_URL (comma-separated) for failover';

/**
 * Every attempt within the retry budget failed with a transient fault. Retryable: at the
 * activity level a later attempt, minutes on, often finds the node healthy again.
 */
export class RpcUnavailableError extends LedgerflowError {
  override readonly name = 'RpcUnavailableError';
  readonly retryable = true;
  constructor(readonly fields: RpcErrorFields & { attempts: number; kind: string; elapsedMs?: number; answers?: readonly RpcAttemptRecord[] }) {
    super(
      `RPC unavailable for ${describeCall(fields)} after ${fields.attempts} attempts${fields.elapsedMs === undefined ? '' : ` in ${(fields.elapsedMs / 1000).toFixed(1)} s`}: ${summarizeAnswers(fields)}`,
      options(fields, unavailableFix(fields)),
    );
  }
}

/** The most specific fix any answer calls for: a node behind or pruned says more than a 500 does. */
function unavailableFix(fields: { kind: string; answers?: readonly RpcAttemptRecord[] }): string {
  const kinds = new Set([fields.kind, ...(fields.answers ?? []).map((a) => a.kind)]);
  const specific = Object.keys(UNAVAILABLE_FIXES).find((kind) => kinds.has(kind));
  return specific === undefined ? DEFAULT_UNAVAILABLE_FIX : (UNAVAILABLE_FIXES[specific] as string);
}

/** "a.example: malformed x2 (unparseable JSON ...), b.example: timeout" — one entry per endpoint, in the order first tried. */
function summarizeAnswers(fields: { endpoint: string; kind: string; detail?: string | undefined; answers?: readonly RpcAttemptRecord[] }): string {
  const answers = fields.answers?.length ? fields.answers : [{ endpoint: fields.endpoint, kind: fields.kind, detail: fields.detail }];
  const byEndpoint = new Map<string, Map<string, { count: number; detail: string | undefined }>>();
  for (const answer of answers) {
    let kinds = byEndpoint.get(answer.endpoint);
    if (!kinds) byEndpoint.set(answer.endpoint, (kinds = new Map()));
    const seen = kinds.get(answer.kind);
    kinds.set(answer.kind, { count: (seen?.count ?? 0) + 1, detail: answer.detail ?? seen?.detail });
  }
  return [...byEndpoint]
    .map(([endpoint, kinds]) => {
      const parts = [...kinds].map(([kind, { count, detail }]) => `${kind}${count > 1 ? ` x${count}` : ''}${detail ? ` (${detail.slice(0, 80)})` : ''}`);
      return `${endpoint} answered ${parts.join(', ')}`;
    })
    .join('; ');
}
