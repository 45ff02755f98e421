import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { LedgerflowError } from '../errors/LedgerflowError.js';

/**
 * Translates a library error into what Temporal should do with it. A LedgerflowError that says it
 * cannot be retried becomes a non-retryable ApplicationFailure typed with the class name, so the
 * workflow and Temporal Web show the real reason and no attempt is wasted; the fix and context
 * travel as details. Everything else keeps its class name as type and stays retryable.
 */
export function classifyError(error: unknown): unknown {
  if (error instanceof ApplicationFailure || error instanceof CancelledFailure) return error;
  if (error instanceof LedgerflowError) {
    return ApplicationFailure.create({
      message: error.message,
      type: error.name,
      nonRetryable: !error.retryable,
      details: [{ context: error.context, fix: error.fix ?? null }],
      cause: error.cause instanceof Error ? error.cause : undefined,
    });
  }
  return error;
}

/** Runs an activity body and rethrows its failure classified. */
export async function classified<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw classifyError(error);
  }
}
