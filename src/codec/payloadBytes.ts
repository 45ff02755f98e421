import type { Payload } from '@temporalio/common';
import protobuf from 'protobufjs';

/**
 * A Payload as protobuf bytes, fields numbered as temporal.api.common.v1.Payload (1: metadata,
 * 2: data): what the codec encrypts, so the inner payload keeps its own encoding metadata.
 */
const PayloadMessage = new protobuf.Type('Payload').add(new protobuf.MapField('metadata', 1, 'string', 'bytes')).add(new protobuf.Field('data', 2, 'bytes'));
new protobuf.Root().define('ledgerflow.codec').add(PayloadMessage);

export function payloadToBytes(payload: Payload): Uint8Array {
  return PayloadMessage.encode({ metadata: payload.metadata ?? {}, data: payload.data ?? new Uint8Array() }).finish();
}

export function payloadFromBytes(bytes: Uint8Array): Payload {
  const message = PayloadMessage.toObject(PayloadMessage.decode(bytes), { defaults: true }) as { metadata: Record<string, Uint8Array>; data: Uint8Array };
  return { metadata: message.metadata, data: message.data };
}
