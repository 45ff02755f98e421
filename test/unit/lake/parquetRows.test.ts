import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asyncBufferFromFile } from 'hyparquet';
import { afterAll, describe, expect, it } from 'vitest';
import { columnsOf, type EntityName } from '../../../src/chain/entities/registry.js';
import { csvFormat } from '../../../src/lake/format/csvFormat.js';
import { openParquetRows } from '../../../src/lake/format/parquetRows.js';
import { createParquetFileSink } from '../../../src/lake/format/parquetSink.js';
import { entityFile, exportFixture, FIXTURE_RANGES } from './parquetFixtureExports.js';

async function csvTextOf(file: string, entity: EntityName): Promise<{ text: string; groups: number }> {
  const reader = await openParquetRows(await asyncBufferFromFile(file), entity);
  expect(reader.columns, entity).toEqual(columnsOf(entity));
  let text = csvFormat.header(reader.columns);
  let rows = 0;
  let groups = 0;
  for await (const group of reader.rowGroups()) {
    for (const row of group) text += csvFormat.row(reader.columns, row);
    rows += group.length;
    groups++;
  }
  expect(rows, entity).toBe(reader.rows);
  return { text, groups };
}

describe('a Parquet export read back gives the CSV export of the same range, line for line', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-parquet-rows-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  for (const [index, range] of FIXTURE_RANGES.entries()) {
    it(range.name, async () => {
      const csvDir = path.join(work, `r${index}-csv`);
      const parquetDir = path.join(work, `r${index}-parquet`);
      await exportFixture(range, 'csv', csvDir);
      await exportFixture(range, 'parquet', parquetDir);
      for (const entity of range.entities) {
        const { text } = await csvTextOf(entityFile(parquetDir, entity, 'parquet'), entity);
        const csv = readFileSync(entityFile(csvDir, entity, 'csv'), 'utf8');
        expect(csv.split('\n').length, `${entity} has rows to compare`).toBeGreaterThan(2);
        expect(text.split('\n'), entity).toEqual(csv.split('\n'));
      }
    });
  }

  it('reads a file of several row groups in order', async () => {
    const dir = path.join(work, 'groups');
    const range = FIXTURE_RANGES[0]!;
    await exportFixture(range, 'parquet', dir);
    const source = await openParquetRows(await asyncBufferFromFile(entityFile(dir, 'logs', 'parquet')), 'logs');
    const split = path.join(dir, 'logs-split.parquet');
    const sink = createParquetFileSink(split, 'logs', { rowGroupRows: 1 });
    for await (const group of source.rowGroups()) for (const row of group) await sink.write(row);
    await sink.close();
    const whole = await csvTextOf(entityFile(dir, 'logs', 'parquet'), 'logs');
    const parts = await csvTextOf(split, 'logs');
    expect([whole.groups, parts.groups]).toEqual([1, 2]);
    expect(parts.text).toBe(whole.text);
  });
});
