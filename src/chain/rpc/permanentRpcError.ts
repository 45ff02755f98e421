import type { LedgerflowError } from '../../errors/LedgerflowError.js';
import type { RpcFailureKind } from './classifyRpcFailure.js';
import type { RpcAttemptFailure } from './rpcEndpoint.js';
import { RpcExecutionRevertedError, RpcInvalidParamsError, RpcMethodNotFoundError, RpcRemoteError, RpcResultTooLargeError } from './errors.js';

/** Turns a failure no retry can fix into the typed error a caller (and Temporal) can act on. */
export function permanentRpcError(
  failure: RpcAttemptFailure,
  where: { method: string; endpoint: string; block: number | bigint | undefined },
  kind: RpcFailureKind = failure.kind,
): LedgerflowError {
  const code = failure.failure.type === 'rpc' ? failure.failure.code : failure.failure.type === 'http' ? failure.failure.status : undefined;
  const fields = { ...where, code, detail: failure.detail, cause: failure };
  switch (kind) {
    case 'method_not_found':
      return new RpcMethodNotFoundError(fields);
    case 'invalid_params':
      return new RpcInvalidParamsError(fields);
    case 'reverted':
      return new RpcExecutionRevertedError(fields);
    case 'too_many_results':
      return new RpcResultTooLargeError(fields);
    default:
      return new RpcRemoteError(fields);
  }
}
