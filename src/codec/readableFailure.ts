import type { LoadedDataConverter, Payload } from '@temporalio/common';

/** The fields of a Failure proto this needs; what DescribeWorkflowExecution's pending activities carry. */
export interface EncodedFailure {
  message?: string | null;
  stackTrace?: string | null;
  encodedAttributes?: Payload | null;
}

/**
 * A failure read raw from the server (e.g. a pending activity's lastFailure from `describe().raw`)
 * with its message and stack trace restored: with encoded failure attributes, the message there is
 * only "Encoded failure" and the real one sits, encrypted, in `encodedAttributes`. Failures without
 * encoded attributes come back as they are.
 */
export async function readableFailure<T extends EncodedFailure>(failure: T, converter: Pick<LoadedDataConverter, 'payloadCodecs' | 'payloadConverter'>): Promise<T> {
  if (!failure.encodedAttributes) return failure;
  let payload = failure.encodedAttributes;
  // Codecs decode in the reverse order of encoding.
  for (const codec of [...converter.payloadCodecs].reverse()) [payload] = (await codec.decode([payload])) as [Payload];
  const attributes = converter.payloadConverter.fromPayload<{ message?: unknown; stack_trace?: unknown }>(payload);
  return {
    ...failure,
    message: typeof attributes.message === 'string' ? attributes.message : failure.message,
    stackTrace: typeof attributes.stack_trace === 'string' ? attributes.stack_trace : failure.stackTrace,
  };
}
