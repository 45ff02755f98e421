import type { RetryPolicy } from '@temporalio/workflow';

/**
 * Error types no retry can fix: bad input, broken configuration, a node without a needed method,
 * a lake file that disagrees with its manifest. Activities already raise these as non-retryable;
 * listing them here also stops a retry when the failure was raised as a plain typed Error.
 */
export const NON_RETRYABLE_ERROR_TYPES = [
  'InvalidInputError',
  'ConfigurationError',
  'RpcMethodNotFoundError',
  'RpcInvalidParamsError',
  'DateBeforeChainError',
  'NoBlocksOnDateError',
  'ChunkCoverageError',
  'ChainContinuityError',
  'DuplicateObjectKeyError',
  'InvalidManifestError',
  'ManifestMismatchError',
];

export const standardRetry: RetryPolicy = {
  initialInterval: '2s',
  backoffCoefficient: 2,
  maximumInterval: '2m',
  maximumAttempts: 10,
  nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
};

/** A day that is not final yet becomes final by itself: keep asking, slowly, within a deadline. */
export const waitForFinalityRetry: RetryPolicy = {
  initialInterval: '15s',
  backoffCoefficient: 2,
  maximumInterval: '10m',
  nonRetryableErrorTypes: NON_RETRYABLE_ERROR_TYPES,
};
