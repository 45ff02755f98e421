import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createDeterministicGzip, pinGzipHeader } from '../../../src/lake/deterministicGzip.js';

const text = Array.from({ length: 2_000 }, (_, i) => `${i},0x${(i * 7919).toString(16)},${10n ** 25n * BigInt(i)}\n`).join('');

async function compress(pieces: string[]): Promise<Buffer> {
  return buffer(Readable.from(pieces).pipe(createDeterministicGzip()).pipe(pinGzipHeader()));
}

describe('deterministic gzip', () => {
  it('round-trips and gives the same bytes however the input is split', async () => {
    const whole = await compress([text]);
    const pieces = await compress(text.match(/[\s\S]{1,97}/g)!);
    expect(pieces.equals(whole)).toBe(true);
    expect(gunzipSync(whole).toString('utf8')).toBe(text);
  });

  it('pins the OS byte even when the header arrives one byte at a time', async () => {
    const raw = gzipSync(Buffer.from(text), { level: 6 });
    const pinned = await buffer(Readable.from([...raw].map((byte) => Buffer.from([byte]))).pipe(pinGzipHeader()));
    expect([...pinned.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(pinned.subarray(10).equals(raw.subarray(10))).toBe(true);
  });
});
