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

/** The node answered null for a block: it is not synced that far or has pruned it. */
export class RpcBlockNotFoundError extends LedgerflowError {
  override readonly name = 'RpcBlockNotFoundError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      `${fields.endpoint} does not have ${fields.block === undefined ? 'the requested block' : `block ${fields.block}`} (${fields.method} returned null)`,
      options(fields, 'use a synced archive node, or wait until the node has caught up past this block'),
    );
  }
}

/** The response is not valid JSON-RPC: truncated or malformed JSON, a batch reply missing ids. */
export class RpcInvalidResponseError extends LedgerflowError {
  override readonly name = 'RpcInvalidResponseError';
  readonly retryable = false;
  constructor(readonly fields: RpcErrorFields) {
    super(
      withDetail(`malformed JSON-RPC response from ${fields.endpoint} to ${describeCall(fields)}`, fields.detail),
      options(fields, 'check the node or any proxy in front of it (response size limits, batch size limits); lower RPC_BATCH_SIZE if the node cuts large batches'),
    );
  }
}

/** Any other JSON-RPC error object the node returned that a retry cannot fix (e.g. execution reverted). */
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

/** Every attempt failed with transient faults: the endpoint (or the whole pool) is unreachable. */
export class RpcUnavailableError extends LedgerflowError {
  override readonly name = 'RpcUnavailableError';
  readonly retryable = true;
  constructor(readonly fields: RpcErrorFields & { attempts: number; kind: string }) {
    super(
      `RPC endpoint ${fields.endpoint} unavailable for ${describeCall(fields)} after ${fields.attempts} attempts (last: ${fields.kind}${fields.detail ? `, ${fields.detail.slice(0, 120)}` : ''})`,
      options(
        fields,
        'check that the node is up and reachable; on 429 lower RPC_MAX_RPS or RPC_BATCH_SIZE; add endpoints to RPC_URL (comma-separated) for failover',
      ),
    );
  }
}
