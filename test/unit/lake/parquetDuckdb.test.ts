import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Column } from '../../../src/chain/columnTypes.js';
import { schemaOf } from '../../../src/chain/entities/registry.js';
import { parseCsv } from '../../conformance/support/parseCsv.js';
import { entityFile, exportFixture, FIXTURE_RANGES } from './parquetFixtureExports.js';

/** The type DuckDB must see for each column type: typed where Parquet can type it, text elsewhere. */
const DUCKDB_TYPES: Record<string, string> = {
  int64: 'BIGINT', uint64: 'UBIGINT', timestamp: 'TIMESTAMP WITH TIME ZONE', bool: 'BOOLEAN', float64: 'DOUBLE',
  uint256: 'VARCHAR', wei: 'VARCHAR', address: 'VARCHAR', hash: 'VARCHAR', bytes: 'VARCHAR', string: 'VARCHAR', json: 'VARCHAR',
};

function duckdbType(column: Column): string {
  return column.type.endsWith('[]') ? `${DUCKDB_TYPES[column.type.slice(0, -2)]}[]` : (DUCKDB_TYPES[column.type] as string);
}

/** The column as the CSV writes it: integers in decimal, booleans True/False, lists comma-joined. */
function asCsvText(column: Column): string {
  const name = `"${column.name}"`;
  if (column.type === 'timestamp') return `CAST(epoch_ms(${name}) // 1000 AS VARCHAR)`;
  if (column.type === 'bool') return `CASE WHEN ${name} THEN 'True' WHEN NOT ${name} THEN 'False' END`;
  if (column.type.endsWith('[]')) return `array_to_string(${name}, ',')`;
  return `CAST(${name} AS VARCHAR)`;
}

/** What the CSV cell must be, given DuckDB's text of the Parquet value. */
function expectedCsvCell(column: Column, parquetText: string | null): string {
  if (parquetText === null) return '';
  // A JSON list is one compact JSON text in Parquet; the CSV joins its items without brackets.
  if (column.type === 'json' && parquetText.startsWith('[')) return parquetText.slice(1, -1);
  return parquetText;
}

describe('DuckDB reads the Parquet export with every value equal to the CSV export of the same range', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-parquet-duckdb-'));
  let connection: DuckDBConnection;
  beforeAll(async () => {
    connection = await (await DuckDBInstance.create(':memory:')).connect();
  });
  afterAll(() => {
    connection?.closeSync();
    rmSync(work, { recursive: true, force: true });
  });

  for (const [index, range] of FIXTURE_RANGES.entries()) {
    it(range.name, async () => {
      const csvDir = path.join(work, `r${index}-csv`);
      const parquetDir = path.join(work, `r${index}-parquet`);
      await exportFixture(range, 'csv', csvDir);
      await exportFixture(range, 'parquet', parquetDir);
      for (const entity of range.entities) {
        const columns = schemaOf(entity);
        const file = entityFile(parquetDir, entity, 'parquet');
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
        expect(described.getRowObjectsJS().map((r) => `${String(r.column_name)} ${String(r.column_type)}`), entity).toEqual(columns.map((c) => `${c.name} ${duckdbType(c)}`));

        const [header, ...csvRows] = parseCsv(readFileSync(entityFile(csvDir, entity, 'csv'), 'utf8'));
        expect(header).toEqual(columns.map((c) => c.name));
        const parquet = await connection.runAndReadAll(`SELECT ${columns.map(asCsvText).join(', ')} FROM read_parquet('${file}')`);
        const parquetRows = parquet.getRowsJS() as Array<Array<string | null>>;
        expect(parquetRows.length, `${entity} rows`).toBe(csvRows.length);
        expect(parquetRows.length, `${entity} has rows to compare`).toBeGreaterThan(0);
        parquetRows.forEach((row, r) => {
          columns.forEach((column, c) => {
            const csvCell = (csvRows[r] as string[])[c];
            if (column.type === 'float64' && csvCell !== '') expect(Number(row[c]), `${entity} row ${r} ${column.name}`).toBe(Number(csvCell));
            else expect(expectedCsvCell(column, row[c] ?? null), `${entity} row ${r} ${column.name}`).toBe(csvCell);
          });
        });
      }
    });
  }
});
