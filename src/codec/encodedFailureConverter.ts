import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (DataConverter.failureConverterPath): by the worker and clients in Node, and by
 * the workflow bundler into the sandbox. Failure messages and stack traces move into an encoded
 * attributes payload, which the payload codec then encrypts like any other payload.
 * Workflow-safe: imports @temporalio/common only.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

/** Found in a workflow bundle built with this converter (see bundleEncodesFailures). */
export const ENCODED_FAILURES_MARKER = 'ledgerflow:encoded-failure-attributes:v1';