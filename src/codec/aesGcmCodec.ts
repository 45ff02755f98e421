import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { LedgerflowError } from '../errors/LedgerflowError.js';
import { CODEC_ENV, type CodecKeyring } from './codecSettings.js';
import { payloadFromBytes, payloadToBytes } from './payloadBytes.js';

/** The `encoding` metadata value of an encrypted payload. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key an encrypted payload needs. */
export const KEY_ID_METADATA = 'encryption-key-id';
/** Metadata key naming the cipher and layout, so a later format can sit beside this one. */
export const CIPHER_METADATA = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM/v1';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * AES-256-GCM over the whole payload (its metadata and data, as protobuf bytes). The result is
 * `binary/encrypted` with the key id in its metadata; its data is IV (12 bytes), ciphertext, tag
 * (16 bytes). The key id and cipher name are authenticated too (GCM additional data), so a payload
 * relabelled with another key id fails like a tampered one.
 *
 * Decoding leaves payloads that are not `binary/encrypted` as they are: histories written before
 * encryption was turned on stay readable.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: CodecKeyring) {}

  get encryptKeyId(): string {
    return this.keyring.encryptKeyId;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private encrypt(payload: Payload): Payload {
    const keyId = this.keyring.encryptKeyId;
    const key = this.keyring.keys.get(keyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(keyId));
    const ciphertext = Buffer.concat([cipher.update(payloadToBytes(payload)), cipher.final()]);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: encoder.encode(ENCRYPTED_ENCODING),
        [KEY_ID_METADATA]: encoder.encode(keyId),
        [CIPHER_METADATA]: encoder.encode(CIPHER),
      },
      data: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]),
    };
  }

  private decrypt(payload: Payload): Payload {
    const keyId = metadataText(payload, KEY_ID_METADATA);
    const cipherName = metadataText(payload, CIPHER_METADATA) ?? CIPHER;
    if (!keyId) throw new PayloadDecryptionError('an encrypted payload names no key id', 'it was not written by this codec');
    if (cipherName !== CIPHER) throw new PayloadDecryptionError(`an encrypted payload uses cipher ${cipherName}, this codec reads ${CIPHER}`, 'upgrade this process', { key_id: keyId });
    const key = this.keyring.keys.get(keyId);
    if (!key) {
      throw new PayloadDecryptionError(`no key with id ${keyId} to decrypt a payload`, `add the key ${keyId} to ${CODEC_ENV.keys} (keep retired keys listed after the current one while histories that use them are read)`, {
        key_id: keyId,
        known_key_ids: [...this.keyring.keys.keys()].join(','),
      });
    }
    const data = payload.data ?? new Uint8Array();
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`an encrypted payload is too short (${data.length} bytes)`, 'the payload was truncated or altered', { key_id: keyId });
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(additionalData(keyId));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    } catch (cause) {
      throw new PayloadDecryptionError(`an encrypted payload failed authentication with key ${keyId}`, 'the payload was altered, or another key was published under this id', { key_id: keyId }, cause);
    }
    return payloadFromBytes(plaintext);
  }
}

/** A payload that cannot be decrypted: unknown key id, tampering, or a foreign format. */
export class PayloadDecryptionError extends LedgerflowError {
  override readonly name = 'PayloadDecryptionError';
  readonly retryable = false;

  constructor(message: string, fix: string, context: Record<string, string> = {}, cause?: unknown) {
    super(message, { context, fix, cause });
  }
}

export function isEncrypted(payload: Payload): boolean {
  return metadataText(payload, METADATA_ENCODING_KEY) === ENCRYPTED_ENCODING;
}

function metadataText(payload: Payload, key: string): string | undefined {
  const value = payload.metadata?.[key];
  return value ? decoder.decode(value) : undefined;
}

function additionalData(keyId: string): Buffer {
  return Buffer.from(`${CIPHER}\0${keyId}`, 'utf8');
}
