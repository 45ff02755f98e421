import { createHash } from 'node:crypto';
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../../src/lake/format/csvFormat.js';
import { PythonFloat, type Row } from '../../../src/lake/format/types.js';
import { createGzipRowEncoder } from '../../../src/lake/gzipRowEncoder.js';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

// One row of each kind of cell, and the line ethereum-etl's CSV writer gives for it, written out
// by hand: the encoder's text is checked against these, not against its own earlier output.
const cases: Array<[Row, string]> = [
  [{ n: 0, big: 10n ** 30n, text: '0xabc', list: [], extra: null }, '0,1000000000000000000000000000000,0xabc,,'],
  [{ n: 7, big: 1n, text: 'a,"b"', list: ['0x1', '0x2'], extra: new PythonFloat(1) }, '7,1,"a,""b""","0x1,0x2",1.0'],
  [{ n: 2 ** 52, big: -5n, text: 'héllo wörld ✓', list: [{ index: 1 }], extra: true }, '4503599627370496,-5,héllo wörld ✓,"{""index"":1}",True'],
];
const columns = ['n', 'big', 'text', 'list', 'extra'];

describe('gzip row encoder (lake objects)', () => {
  it('writes the expected text, hashes it and the gzip bytes, across many 64 KiB batches', async () => {
    const repeats = 3_000;
    const output = new PassThrough();
    const collected = buffer(output);
    const encoder = createGzipRowEncoder({ format: csvFormat, columns, output });
    for (let r = 0; r < repeats; r++) {
      for (const [row] of cases) {
        const pending = encoder.write(row);
        if (pending) await pending;
      }
    }
    const result = await encoder.end();
    const gz = await collected;

    const expectedText = `n,big,text,list,extra\n${cases.map(([, line]) => `${line}\n`).join('').repeat(repeats)}`;
    const text = gunzipSync(gz).toString('utf8');
    expect(text.length).toBe(expectedText.length);
    expect(text === expectedText).toBe(true);
    expect(result.rows).toBe(repeats * cases.length);
    expect(result.bytes).toBe(gz.length);
    expect(result.sha256).toBe(sha256(gz));
    // The digest of the text is what survives a zlib upgrade: it must be of the UTF-8 bytes.
    expect(result.contentSha256).toBe(sha256(Buffer.from(expectedText, 'utf8')));
  });
});
