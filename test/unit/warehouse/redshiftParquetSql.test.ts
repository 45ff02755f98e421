import { describe, expect, it } from 'vitest';
import { listElementType, type ColumnType } from '../../../src/chain/columnTypes.js';
import { parquetColumns } from '../../../src/lake/format/parquetSchema.js';
import { copyManifestKey, s3Url } from '../../../src/lake/objectKey.js';
import { redshiftLoadSql } from '../../../src/warehouse/redshiftLoadSql.js';
import { redshiftParquetStageType } from '../../../src/warehouse/redshiftParquetColumns.js';
import { TABLE_DEFS, WAREHOUSE_TABLES, type WarehouseTableName } from '../../../src/warehouse/tables.js';

const ROLE = 'arn:aws:iam::123456789012:role/ledgerflow-redshift-copy';

function parquetSql(table: WarehouseTableName) {
  return redshiftLoadSql({
    schema: 'ledgerflow',
    table: TABLE_DEFS[table],
    date: '2024-03-04',
    range: { start: 19_350_000, end: 19_357_199 },
    copyManifestUrl: s3Url('lake-bucket', copyManifestKey({ prefix: 'ledgerflow', chainId: 1, date: '2024-03-04', entity: table })),
    iamRole: ROLE,
    format: 'parquet',
  });
}

/**
 * The Redshift column types COPY fills from each Parquet type, as AWS documents them for columnar
 * COPY (https://docs.aws.amazon.com/redshift/latest/dg/copy-usage_notes-copy-from-columnar.html)
 * and for nested types into SUPER (https://docs.aws.amazon.com/redshift/latest/dg/copy_json.html).
 */
const COPY_TARGETS: Record<string, readonly string[]> = {
  INT64: ['BIGINT', 'DECIMAL'],
  'INT64 TIMESTAMP': ['TIMESTAMP', 'TIMESTAMPTZ'],
  BOOLEAN: ['BOOLEAN'],
  DOUBLE: ['DOUBLE PRECISION', 'FLOAT8'],
  'BYTE_ARRAY UTF8': ['VARCHAR', 'CHAR'],
  LIST: ['SUPER'],
};

function parquetTypeOf(entity: WarehouseTableName, name: string): string {
  const column = parquetColumns(entity, TABLE_DEFS[entity].columns).find((c) => c.name === name)!;
  const [first] = column.elements;
  if (first?.converted_type === 'LIST') return 'LIST';
  if (first?.converted_type === 'TIMESTAMP_MILLIS') return 'INT64 TIMESTAMP';
  if (first?.converted_type === 'UTF8') return 'BYTE_ARRAY UTF8';
  return String(first?.type);
}

describe('redshift SQL snapshot: a Parquet lake day', () => {
  it('stages logs in the file column order with Parquet-shaped types, COPYs FORMAT AS PARQUET, and converts in the swap', () => {
    expect(parquetSql('logs')).toMatchInlineSnapshot(`
      {
        "cleanup": [
          "DROP TABLE IF EXISTS ledgerflow.stg_logs_20240304",
        ],
        "copy": "COPY ledgerflow.stg_logs_20240304
      FROM 's3://lake-bucket/ledgerflow/chain=1/manifests/date=2024-03-04/copy/logs.manifest'
      IAM_ROLE 'arn:aws:iam::123456789012:role/ledgerflow-redshift-copy'
      MANIFEST FORMAT AS PARQUET COMPUPDATE OFF STATUPDATE OFF",
        "prepare": [
          "DROP TABLE IF EXISTS ledgerflow.stg_logs_20240304",
          "CREATE TABLE ledgerflow.stg_logs_20240304 ("log_index" BIGINT, "transaction_hash" VARCHAR(66), "transaction_index" BIGINT, "block_hash" VARCHAR(66), "block_number" BIGINT, "address" VARCHAR(42), "data" VARCHAR(65535), "topics" SUPER)",
        ],
        "select": ""log_index", NULLIF("transaction_hash", ''), "transaction_index", NULLIF("block_hash", ''), "block_number", NULLIF("address", ''), NULLIF("data", ''), NULLIF(TRANSLATE(JSON_SERIALIZE("topics"), '[]"', ''), '')",
        "stage": "ledgerflow.stg_logs_20240304",
        "swap": [
          "DELETE FROM ledgerflow.logs WHERE "block_number" BETWEEN 19350000 AND 19357199",
          "INSERT INTO ledgerflow.logs ("log_index", "transaction_hash", "transaction_index", "block_hash", "block_number", "address", "data", "topics") SELECT "log_index", NULLIF("transaction_hash", ''), "transaction_index", NULLIF("block_hash", ''), "block_number", NULLIF("address", ''), NULLIF("data", ''), NULLIF(TRANSLATE(JSON_SERIALIZE("topics"), '[]"', ''), '') FROM ledgerflow.stg_logs_20240304",
        ],
        "verify": "SELECT COUNT(*) AS rows, SUM(CASE WHEN "block_number" BETWEEN 19350000 AND 19357199 THEN 0 ELSE 1 END) AS outside FROM ledgerflow.stg_logs_20240304",
      }
    `);
  });

  it('converts blocks: timestamps to unix seconds, JSON lists to the CSV text, empty text to NULL', () => {
    expect(parquetSql('blocks').swap[1]).toMatchInlineSnapshot(`"INSERT INTO ledgerflow.blocks ("number", "hash", "parent_hash", "nonce", "sha3_uncles", "logs_bloom", "transactions_root", "state_root", "receipts_root", "miner", "difficulty", "total_difficulty", "size", "extra_data", "gas_limit", "gas_used", "timestamp", "transaction_count", "base_fee_per_gas", "withdrawals_root", "withdrawals", "blob_gas_used", "excess_blob_gas") SELECT "number", NULLIF("hash", ''), NULLIF("parent_hash", ''), NULLIF("nonce", ''), NULLIF("sha3_uncles", ''), NULLIF("logs_bloom", ''), NULLIF("transactions_root", ''), NULLIF("state_root", ''), NULLIF("receipts_root", ''), NULLIF("miner", ''), NULLIF("difficulty", ''), NULLIF("total_difficulty", ''), "size", NULLIF("extra_data", ''), "gas_limit", "gas_used", DATEDIFF(second, TIMESTAMP '1970-01-01 00:00:00', "timestamp"), "transaction_count", CAST(NULLIF("base_fee_per_gas", '') AS DECIMAL(38,0)), NULLIF("withdrawals_root", ''), NULLIF(CASE WHEN LEFT("withdrawals", 1) = '[' THEN SUBSTRING("withdrawals", 2, LEN("withdrawals") - 2) ELSE "withdrawals" END, ''), "blob_gas_used", "excess_blob_gas" FROM ledgerflow.stg_blocks_20240304"`);
  });

  it('gives every column of every table a stage type COPY fills from its Parquet type, and one conversion in target order', () => {
    for (const table of WAREHOUSE_TABLES) {
      const def = TABLE_DEFS[table];
      const sql = parquetSql(table);
      for (const column of def.columns) {
        const stageType = redshiftParquetStageType(column.type as ColumnType).replace(/\(.*\)$/, '');
        expect(COPY_TARGETS[parquetTypeOf(table, column.name)], `${table}.${column.name}`).toContain(stageType);
      }
      expect(sql.prepare[1]).toBe(`CREATE TABLE ${sql.stage} (${def.columns.map((c) => `"${c.name}" ${redshiftParquetStageType(c.type)}`).join(', ')})`);
      const insert = sql.swap[1]!;
      const selected = insert.slice(insert.indexOf(' SELECT ') + 8, insert.lastIndexOf(' FROM '));
      // Each conversion names its own column and no other column of the table.
      const mentioned = def.columns.map((c) => [...selected.matchAll(new RegExp(`"${c.name}"`, 'g'))].length);
      expect(mentioned.every((n) => n >= 1), table).toBe(true);
      expect(sql.copy).toContain('FORMAT AS PARQUET');
      expect(sql.copy).not.toMatch(/GZIP|IGNOREHEADER|EMPTYASNULL/);
      expect(def.columns.some((c) => listElementType(c.type) !== undefined) ? sql.prepare[1] : 'SUPER').toContain('SUPER');
    }
  });

  it('leaves the CSV statements as they were when no format is given', () => {
    const csv = redshiftLoadSql({ schema: 'ledgerflow', table: TABLE_DEFS.logs, date: '2024-03-04', range: { start: 1, end: 2 }, copyManifestUrl: 's3://b/k', iamRole: ROLE });
    expect(redshiftLoadSql({ schema: 'ledgerflow', table: TABLE_DEFS.logs, date: '2024-03-04', range: { start: 1, end: 2 }, copyManifestUrl: 's3://b/k', iamRole: ROLE, format: 'csv' })).toEqual(csv);
    expect(csv.copy).toContain('MANIFEST GZIP CSV IGNOREHEADER 1 EMPTYASNULL');
  });
});
