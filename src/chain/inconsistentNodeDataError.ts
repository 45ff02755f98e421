import { LedgerflowError } from '../errors/LedgerflowError.js';

/**
 * A node answered with data that contradicts itself: a receipt or trace of another block, a
 * parent hash that does not continue the previous block. Retryable: a reorg at the head or a
 * pool mixing nodes on different forks heals on a later attempt; a persistent one needs a human.
 */
export class InconsistentNodeDataError extends LedgerflowError {
  override readonly name = 'InconsistentNodeDataError';
  readonly retryable = true;
  constructor(fields: { what: string; block: number; expected: string; actual: string; method: string; endpoint: string; fix?: string }) {
    super(`Inconsistent RPC data for block ${fields.block}: ${fields.what} is ${fields.actual}, expected ${fields.expected}`, {
      context: { block: fields.block, method: fields.method, endpoint: fields.endpoint },
      fix: fields.fix ?? 'retry later (a reorg may be in progress); if it persists, report it to the RPC operator with the request above',
    });
  }
}
