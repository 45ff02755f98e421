import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { required, nullable } from '../../../src/chain/columnTypes.js';
import type { Row } from '../../../src/chain/rows.js';
import { PARQUET_CREATED_BY, ParquetEncoder } from '../../../src/lake/format/parquetEncoder.js';
import { createParquetFileSink } from '../../../src/lake/format/parquetSink.js';
import { entityFile, exportFixture, FIXTURE_RANGES } from './parquetFixtureExports.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-parquet-determinism-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('ledgerflow export --format parquet: the same range gives the same bytes', () => {
  for (const [index, range] of FIXTURE_RANGES.entries()) {
    it(range.name, async () => {
      const first = path.join(work, `r${index}-a`);
      const second = path.join(work, `r${index}-b`);
      await exportFixture(range, 'parquet', first);
      // Other batch boundaries: the file must not depend on how blocks were fetched.
      await exportFixture(range, 'parquet', second, { blockBatchSize: '1', batchSize: '1' });
      for (const entity of range.entities) {
        const a = readFileSync(entityFile(first, entity, 'parquet'));
        const b = readFileSync(entityFile(second, entity, 'parquet'));
        expect(a.subarray(0, 4).toString('latin1')).toBe('PAR1');
        expect(sha256(b), entity).toBe(sha256(a));
      }
    });
  }
});

describe('ParquetEncoder', () => {
  const columns = [required('number', 'int64'), nullable('amount', 'uint256'), required('seen_at', 'timestamp'), required('topics', 'hash[]'), nullable('nonce', 'uint64')];
  const rowsOf = (n: number): Row[] =>
    Array.from({ length: n }, (_, i) => ({ number: i, amount: i % 3 === 0 ? null : 10n ** 40n + BigInt(i), seen_at: 1_700_000_000 + i, topics: i % 2 ? [`0x${'ab'.repeat(32)}`] : [], nonce: 2n ** 64n - 1n - BigInt(i) }));
  const encode = (rows: readonly Row[], rowGroupRows: number): { bytes: Buffer; groupsBeforeFinish: number } => {
    const encoder = new ParquetEncoder('test', columns, { rowGroupRows });
    const chunks: Uint8Array[] = [];
    let groupsBeforeFinish = 0;
    for (const row of rows) {
      const chunk = encoder.push(row);
      if (chunk) {
        chunks.push(chunk);
        groupsBeforeFinish++;
      }
    }
    chunks.push(encoder.finish());
    return { bytes: Buffer.concat(chunks), groupsBeforeFinish };
  };

  it('hands each row group over as soon as it is complete, and repeats its bytes exactly', () => {
    const rows = rowsOf(2500);
    const first = encode(rows, 1000);
    expect(first.groupsBeforeFinish).toBe(2);
    expect(sha256(encode(rows, 1000).bytes)).toBe(sha256(first.bytes));
    // The row-group size is part of the layout: another size gives other bytes.
    expect(sha256(encode(rows, 500).bytes)).not.toBe(sha256(first.bytes));
    expect(first.bytes.includes(Buffer.from(PARQUET_CREATED_BY))).toBe(true);
  });

  it('refuses a cell its column type cannot hold, naming the column and the way out', () => {
    const encoder = new ParquetEncoder('transactions', columns);
    expect(() => encoder.push({ ...rowsOf(1)[0], number: '0x' })).toThrow(/^transactions\.number holds "0x", not int64/);
    expect(() => new ParquetEncoder('transactions', columns).push({ ...rowsOf(1)[0], seen_at: null })).toThrow(/transactions\.seen_at is null, but the column is required/);
  });

  it('publishes the file only on close and leaves nothing on abort', async () => {
    const file = path.join(work, 'logs.parquet');
    const sink = createParquetFileSink(file, 'logs');
    await sink.write({ log_index: 0, transaction_hash: '0x01', transaction_index: 0, block_hash: '0x02', block_number: 1, address: '0x03', data: '0x', topics: [] });
    expect(() => readFileSync(file)).toThrow();
    const result = await sink.close();
    expect(result.rows).toBe(1);
    expect(result.sha256).toBe(sha256(readFileSync(file)));
    const aborted = path.join(work, 'aborted.parquet');
    const other = createParquetFileSink(aborted, 'logs');
    await other.abort();
    expect(() => readFileSync(aborted)).toThrow();
  });
});
