import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AesGcmPayloadCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, PayloadDecryptionError } from '../../../src/codec/aesGcmCodec.js';
import { CODEC_ENV, codecKeyringFromEnv, formatCodecKey, type CodecKeyring } from '../../../src/codec/codecSettings.js';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const keyring = (...pairs: [string, Buffer][]): CodecKeyring => codecKeyringFromEnv({ [CODEC_ENV.keys]: pairs.map(([id, key]) => formatCodecKey(id, key)).join(',') })!;
const OLD = randomBytes(32);
const NEW = randomBytes(32);
const SECRET_INPUT = { date: '2024-01-01', lakeKey: 'chain=1/entity=blocks/date=2024-01-01/blocks-0-499.csv.gz', note: 'proprietary-marker-7f3a' };

describe('AesGcmPayloadCodec', () => {
  it('round-trips every kind of payload the SDK writes, and the ciphertext hides the plaintext', async () => {
    const codec = new AesGcmPayloadCodec(keyring(['k1', NEW]));
    const values: unknown[] = [SECRET_INPUT, 'a string', 42, null, undefined, [1, 'two'], new Uint8Array([0, 1, 2, 255]), { nested: { deep: [true] } }];
    const plain = values.map((value) => defaultPayloadConverter.toPayload(value));
    const encoded = await codec.encode(plain);
    for (const payload of encoded) {
      expect(text(payload.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
      expect(text(payload.metadata?.[KEY_ID_METADATA])).toBe('k1');
    }
    expect(Buffer.from(encoded[0]!.data!).toString('latin1')).not.toContain('proprietary-marker');
    const decoded = await codec.decode(encoded);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(values.map((v) => (v === undefined ? undefined : v)));
    // The inner payload keeps its own encoding metadata byte for byte.
    expect(decoded.map((p) => text(p.metadata?.encoding))).toEqual(plain.map((p) => text(p.metadata?.encoding)));
  });

  it('encrypts the same payload differently each time (a fresh IV per payload)', async () => {
    const codec = new AesGcmPayloadCodec(keyring(['k1', NEW]));
    const payload = defaultPayloadConverter.toPayload(SECRET_INPUT);
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('after a rotation, payloads written with the old key still decrypt and new ones use the new key', async () => {
    const before = new AesGcmPayloadCodec(keyring(['2024-q1', OLD]));
    const after = new AesGcmPayloadCodec(keyring(['2024-q2', NEW], ['2024-q1', OLD]));
    const [old] = await before.encode([defaultPayloadConverter.toPayload(SECRET_INPUT)]);
    const [decoded] = await after.decode([old!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(SECRET_INPUT);
    const [fresh] = await after.encode([defaultPayloadConverter.toPayload('x')]);
    expect(text(fresh!.metadata?.[KEY_ID_METADATA])).toBe('2024-q2');
    // A process that has only the old key cannot read the new payload, and says which key it lacks.
    await expect(before.decode([fresh!])).rejects.toThrow(/no key with id 2024-q2 .*LEDGERFLOW_CODEC_KEYS/);
  });

  it('an unknown key id fails with an error naming the id, the known ids and the variable, never key material', async () => {
    const writer = new AesGcmPayloadCodec(keyring(['gone', OLD]));
    const reader = new AesGcmPayloadCodec(keyring(['current', NEW]));
    const [payload] = await writer.encode([defaultPayloadConverter.toPayload(SECRET_INPUT)]);
    const error = await reader.decode([payload!]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadDecryptionError);
    const message = (error as Error).message;
    expect(message).toContain('no key with id gone');
    expect(message).toContain('known_key_ids=current');
    expect(message).toContain('LEDGERFLOW_CODEC_KEYS');
    for (const key of [OLD, NEW]) expect(message).not.toContain(key.toString('base64'));
  });

  it('a flipped bit anywhere in the data, or a relabelled key id, fails authentication', async () => {
    const codec = new AesGcmPayloadCodec(keyring(['a', NEW], ['b', NEW]));
    const [payload] = await codec.encode([defaultPayloadConverter.toPayload(SECRET_INPUT)]);
    const data = Buffer.from(payload!.data!);
    for (const at of [0, 12, Math.floor(data.length / 2), data.length - 1]) {
      const tampered = Buffer.from(data);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      await expect(codec.decode([{ ...payload, data: tampered }]), `byte ${at}`).rejects.toThrow(/failed authentication with key a/);
    }
    // Same key bytes under another id: the id is authenticated data, so this fails too.
    const relabelled: Payload = { ...payload, metadata: { ...payload!.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication with key b/);
    await expect(codec.decode([{ ...payload, data: data.subarray(0, 20) }])).rejects.toThrow(/too short/);
  });

  it('leaves payloads that are not encrypted as they are when decoding (histories from before encryption)', async () => {
    const codec = new AesGcmPayloadCodec(keyring(['k1', NEW]));
    const plain = defaultPayloadConverter.toPayload(SECRET_INPUT);
    expect(await codec.decode([plain])).toEqual([plain]);
  });
});

describe('LEDGERFLOW_CODEC_KEYS', () => {
  const parse = (value: string | undefined) => () => codecKeyringFromEnv({ LEDGERFLOW_CODEC_KEYS: value });
  const key = (bytes = 32) => randomBytes(bytes).toString('base64');

  it('unset or empty means no encryption', () => {
    expect(parse(undefined)()).toBeUndefined();
    expect(parse('  ')()).toBeUndefined();
  });

  it('reads id=base64 pairs; the first encrypts, all decrypt', () => {
    const [a, b] = [key(), key()];
    const ring = parse(` new=${a} , old=${b}`)()!;
    expect(ring.encryptKeyId).toBe('new');
    expect([...ring.keys.keys()]).toEqual(['new', 'old']);
    expect(ring.keys.get('old')?.toString('base64')).toBe(b);
  });

  it.each([
    ['a bare key', () => key(), /entry 1 of 1 (is not id=base64|has an invalid key id)/],
    ['a bare key without padding', () => randomBytes(30).toString('base64'), /entry 1 of 1 is not id=base64/],
    ['an empty id', () => `=${key()}`, /entry 1 of 1 is not id=base64/],
    ['a bad id', () => `k 1=${key()}`, /entry 1 of 1 has an invalid key id/],
    ['a short key', () => `k1=${key(16)}`, /key k1 is 16 bytes, AES-256 needs 32/],
    ['a long key', () => `k1=${key(48)}`, /key k1 is 48 bytes, AES-256 needs 32/],
    ['not base64', () => `k1=${key().slice(0, -2)}!!`, /key k1 is not base64/],
    ['a repeated id', () => `k1=${key()},k1=${key()}`, /key id k1 appears twice/],
    ['a trailing comma', () => `k1=${key()},`, /entry 2 of 2 is not id=base64/],
  ])('%s is refused on one line that names the variable and the fix, never the key', (_name, value, expected) => {
    const raw = value();
    let message = '';
    try {
      parse(raw)();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(expected);
    expect(message).toMatch(/^LEDGERFLOW_CODEC_KEYS is malformed: /);
    expect(message).toContain('Fix: set LEDGERFLOW_CODEC_KEYS to comma-separated id=base64 pairs of 32-byte keys');
    expect(message).not.toContain('\n');
    for (const part of raw.split(/[=,]/)) if (part.length >= 8) expect(message).not.toContain(part);
  });
});
