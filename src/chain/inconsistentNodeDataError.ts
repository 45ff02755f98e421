import { LedgerflowError } from '../errors/LedgerflowError.js';

/**
 * A node answered with data that contradicts itself or another answer: a receipt or trace of
 * another block, a parent hash that does not continue the previous block. Retryable: a reorg at
 * the head or a pool mixing nodes on different forks heals on a later attempt; a persistent one
 * needs a human, and the message names both endpoints and both values for them.
 */
export class InconsistentNodeDataError extends LedgerflowError {
  override readonly name = 'InconsistentNodeDataError';
  readonly retryable = true;
  constructor(
    readonly fields: {
      what: string;
      block: number;
      expected: string;
      actual: string;
      method: string;
      /** Masked endpoint that gave `actual`. */
      endpoint: string;
      /** Masked endpoint that gave `expected`, when known and different. */
      expectedEndpoint?: string | undefined;
      /** Attempts made before giving up, when the caller re-fetched. */
      attempts?: number | undefined;
      fix?: string;
    },
  ) {
    const sources =
      fields.expectedEndpoint && fields.expectedEndpoint !== fields.endpoint
        ? `${fields.method} from ${fields.endpoint}; expected value from ${fields.expectedEndpoint}`
        : `${fields.method} from ${fields.endpoint}`;
    super(
      `Inconsistent RPC data for block ${fields.block}: ${fields.what} is ${fields.actual}, expected ${fields.expected} (${sources})${fields.attempts ? `; still after ${fields.attempts} fetches` : ''}`,
      {
        fix:
          fields.fix ??
          'retry later (a reorg may be in progress); if it persists, one of the endpoints is on another fork: remove it from RPC_URL and report it to its operator',
      },
    );
  }
}
