import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileSink } from '../../../src/lake/fileSink.js';
import { csvFormat } from '../../../src/lake/format/csvFormat.js';
import { jsonFormat } from '../../../src/lake/format/jsonFormat.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ledgerflow-filesink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createFileSink', () => {
  it('publishes under the final name only on close, with hash, bytes and row count', async () => {
    const target = path.join(dir, 'blocks.csv');
    const sink = createFileSink(target, csvFormat, ['number', 'hash']);
    await sink.write({ number: 1n, hash: '0xa' });
    await sink.write({ number: 2n, hash: '0xb' });
    expect(existsSync(target)).toBe(false);
    const result = await sink.close();
    const content = readFileSync(target);
    expect(content.toString()).toBe('number,hash\n1,0xa\n2,0xb\n');
    expect(result).toEqual({ rows: 2, bytes: content.length, sha256: createHash('sha256').update(content).digest('hex'), location: target });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes a header-only CSV and an empty JSON-lines file when there are no rows', async () => {
    await createFileSink(path.join(dir, 'logs.csv'), csvFormat, ['a', 'b']).close();
    await createFileSink(path.join(dir, 'logs.json'), jsonFormat, ['a', 'b']).close();
    expect(readFileSync(path.join(dir, 'logs.csv'), 'utf8')).toBe('a,b\n');
    expect(readFileSync(path.join(dir, 'logs.json'), 'utf8')).toBe('');
  });

  it('abort leaves nothing behind, not even the temporary file', async () => {
    const sub = mkdtempSync(path.join(dir, 'abort-'));
    const sink = createFileSink(path.join(sub, 'traces.csv'), csvFormat, ['a']);
    await sink.write({ a: 'x'.repeat(100_000) });
    await sink.abort();
    expect(readdirSync(sub)).toEqual([]);
  });

  it('abort after close removes the published file (a later entity failed)', async () => {
    const sub = mkdtempSync(path.join(dir, 'late-'));
    const sink = createFileSink(path.join(sub, 'blocks.csv'), csvFormat, ['a']);
    await sink.close();
    await sink.abort();
    expect(readdirSync(sub)).toEqual([]);
  });
});
