import type { RetryPolicy } from '@temporalio/workflow';

/**
 * Whether a failure is worth another attempt is decided once, by the error class itself
 * (LedgerflowError.retryable): activities turn a non-retryable one into a non-retryable
 * ApplicationFailure (classifyError). These policies therefore list no error types: a second,
 * hand-kept list would drift from the classes, as it once did for several RPC errors.
 */
export const standardRetry: RetryPolicy = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  // A killed worker's activity must run again within a minute, however often it was retried
  // before; 20 attempts still ride out about 8 minutes of a database or node that is down.
  maximumInterval: '30s',
  maximumAttempts: 20,
};

/** A day that is not final yet becomes final by itself: keep asking, slowly, within a deadline. */
export const waitForFinalityRetry: RetryPolicy = {
  initialInterval: '15s',
  backoffCoefficient: 2,
  maximumInterval: '10m',
};

/**
 * A metric is one SQL statement on a warehouse that is up (the day just loaded into it): what
 * still fails after a few attempts is the metric's own fault, and it must give up in minutes so
 * the day can report it, instead of retrying for as long as a day's load would.
 */
export const metricRetry: RetryPolicy = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 5,
};
