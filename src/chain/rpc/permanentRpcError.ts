import type { LedgerflowError } from '../../errors/LedgerflowError.js';
import type { RpcAttemptFailure } from './rpcEndpoint.js';
import { RpcInvalidParamsError, RpcInvalidResponseError, RpcMethodNotFoundError, RpcRemoteError, RpcResultTooLargeError } from './errors.js';

/** Turns a failure no retry can fix into the typed error a caller (and Temporal) can act on. */
export function permanentRpcError(
  failure: RpcAttemptFailure,
  where: { method: string; endpoint: string; block: number | bigint | undefined },
): LedgerflowError {
  const code = failure.failure.type === 'rpc' ? failure.failure.code : failure.failure.type === 'http' ? failure.failure.status : undefined;
  const fields = { ...where, code, detail: failure.detail, cause: failure };
  switch (failure.kind) {
    case 'method_not_found':
      return new RpcMethodNotFoundError(fields);
    case 'invalid_params':
      return new RpcInvalidParamsError(fields);
    case 'malformed':
      return new RpcInvalidResponseError(fields);
    case 'too_many_results':
      // Only a log query can be split; anything else that says so keeps the general advice.
      return where.method === 'eth_getLogs' ? new RpcResultTooLargeError(fields) : new RpcRemoteError(fields);
    default:
      return new RpcRemoteError(fields);
  }
}
