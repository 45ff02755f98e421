import { LedgerflowError } from '../errors/LedgerflowError.js';

/** A local-stack service would not start, answer or stop; retrying the same command rarely helps. */
export class StackError extends LedgerflowError {
  override readonly name = 'StackError';
  readonly retryable = false;
}
