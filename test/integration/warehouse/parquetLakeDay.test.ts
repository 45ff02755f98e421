import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { promisify } from 'node:util';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockRangeForDate } from '../../../src/chain/blockRange/blockRangeForDate.js';
import { createRpcPool, type RpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import { rpcClientVersion } from '../../../src/chain/rpc/rpcClientVersion.js';
import { DEFAULT_DAILY_ENTITIES, type BlockRange } from '../../../src/chain/types.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { exportDayToLake } from '../../../src/lake/exportDayToLake.js';
import { exporterVersion } from '../../../src/lake/exporterVersion.js';
import type { LakeExportDeps } from '../../../src/lake/lakeDeps.js';
import { loadManifestSigner, type ManifestSigner } from '../../../src/lake/manifestSignature.js';
import { readDayManifest } from '../../../src/lake/readDayManifest.js';
import type { DayManifest } from '../../../src/lake/types.js';
import { verifyDay } from '../../../src/lake/verifyDay.js';
import { createLogger } from '../../../src/log.js';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { ManifestMismatchError } from '../../../src/warehouse/loadErrors.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { isWarehouseTable, TABLE_DEFS } from '../../../src/warehouse/tables.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';

const run = promisify(execFile);
const stack = inject('stack');
const date = stack.LEDGERFLOW_DAYS.split(',')[0]!;
const chainId = Number(stack.CHAIN_ID);
// The stack's bucket and database are shared with other test files: own prefixes, own schemas.
const suffix = randomBytes(4).toString('hex');
const lakes = { csv: `it-csv-${suffix}`, parquet: `it-parquet-${suffix}` } as const;
const schemas = { csv: `it_csv_${suffix}`, parquet: `it_parquet_${suffix}` } as const;
const CHUNK_SIZE = 40;
const TABLES = DEFAULT_DAILY_ENTITIES.filter(isWarehouseTable);

let rpc: RpcPool;
let range: BlockRange;
let pool: pg.Pool;
const lakeDeps = {} as Record<'csv' | 'parquet', LakeExportDeps & { signer: ManifestSigner }>;
const warehouses = {} as Record<'csv' | 'parquet', WarehouseDeps>;

beforeAll(async () => {
  rpc = createRpcPool({ urls: [stack.RPC_URL] });
  const s3 = createS3Client({ endpoint: stack.S3_ENDPOINT, credentials: { accessKeyId: stack.AWS_ACCESS_KEY_ID, secretAccessKey: stack.AWS_SECRET_ACCESS_KEY } });
  pool = new pg.Pool({ connectionString: stack.DATABASE_URL, max: 4 });
  const signer = loadManifestSigner(stack.LEDGERFLOW_SIGNING_KEY);
  for (const format of ['csv', 'parquet'] as const) {
    lakeDeps[format] = { s3, rpc, lake: { bucket: stack.S3_BUCKET, prefix: lakes[format], format }, signer };
    warehouses[format] = { pool, s3, lake: lakeDeps[format].lake, schema: schemas[format], dialect: 'postgres', logger: createLogger('warn') };
    await migrate(warehouses[format]);
  }
  range = await blockRangeForDate(rpc, date, { finalityDepth: Number(stack.FINALITY_DEPTH) });
});

const pulled = mkdtempSync(path.join(tmpdir(), 'ledgerflow-pull-'));

afterAll(async () => {
  rmSync(pulled, { recursive: true, force: true });
  for (const schema of Object.values(schemas)) await pool?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool?.end();
  lakeDeps.csv?.s3.destroy();
  await rpc?.close();
});

function exportDay(format: 'csv' | 'parquet', nodeClientVersion: string) {
  return exportDayToLake(lakeDeps[format], {
    chainId, date, range, entities: DEFAULT_DAILY_ENTITIES, chunkSize: CHUNK_SIZE, exporterVersion: exporterVersion(), nodeClientVersion, force: true,
  });
}

async function lakeObjects(prefix: string): Promise<Map<string, Buffer>> {
  const s3 = lakeDeps.csv.s3;
  const out = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: stack.S3_BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const response = await s3.send(new GetObjectCommand({ Bucket: stack.S3_BUCKET, Key: Key! }));
      out.set(Key!, Buffer.from(await response.Body!.transformToByteArray()));
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

async function manifestOf(format: 'csv' | 'parquet'): Promise<DayManifest> {
  const manifest = await readDayManifest(lakeDeps[format], { chainId, date });
  expect(manifest, format).toBeDefined();
  return manifest!;
}

/** Rows of one schema's table missing from the other's, as text, counting duplicates. */
async function missingRows(table: string, from: string, to: string): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(`SELECT t::text AS row FROM (SELECT * FROM ${from}.${table} EXCEPT ALL SELECT * FROM ${to}.${table}) t LIMIT 5`);
  return rows.map((r) => r.row);
}

describe('a Parquet lake day on the local stack', () => {
  it('exports the day as Parquet twice (CLI, then library) to byte-identical objects and manifest', async () => {
    const env = { ...process.env, ...stack, S3_PREFIX: lakes.parquet, CHUNK_SIZE: String(CHUNK_SIZE), LEDGERFLOW_LAKE_FORMAT: 'parquet', LOG_LEVEL: 'warn' };
    const first = await run(process.execPath, ['bin/ledgerflow.js', 'lake', 'export-day', '--date', date], { env, cwd: process.cwd() });
    expect(first.stderr).toBe('');
    const before = await lakeObjects(lakes.parquet);
    const manifest = await manifestOf('parquet');
    expect(manifest.files.length).toBe(Math.ceil((range.end - range.start + 1) / CHUNK_SIZE) * DEFAULT_DAILY_ENTITIES.length);
    for (const file of manifest.files) {
      expect(file.key).toMatch(/\.parquet$/);
      expect(before.get(file.key)?.subarray(0, 4).toString('latin1'), file.key).toBe('PAR1');
    }

    const second = await exportDay('parquet', await rpcClientVersion(rpc));
    expect(second).toMatchObject({ skipped: false, outcome: 'unchanged', manifestSha256: first.stdout.trim().split(' ')[1] });
    const after = await lakeObjects(lakes.parquet);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, bytes] of before) expect(after.get(key)!.equals(bytes), key).toBe(true);

    expect(await verifyDay(lakeDeps.parquet, { manifest })).toEqual({ ok: true, mismatches: [], hashMismatches: [] });
  });

  it('loads into PostgreSQL tables identical to the same day loaded from CSV', async () => {
    await exportDay('csv', await rpcClientVersion(rpc));
    const csv = await manifestOf('csv');
    const parquet = await manifestOf('parquet');
    expect(parquet.files.map((f) => [f.entity, f.range, f.rows])).toEqual(csv.files.map((f) => [f.entity, f.range, f.rows]));

    const fromCsv = await loadDay(warehouses.csv, { manifest: csv });
    const fromParquet = await loadDay(warehouses.parquet, { manifest: parquet });
    expect(fromParquet.tables).toEqual(fromCsv.tables);
    for (const table of ['blocks', 'transactions', 'logs', 'token_transfers', 'traces', 'receipts'] as const) {
      expect(fromParquet.tables.find((t) => t.table === table)?.rows, table).toBeGreaterThan(0);
    }
    for (const table of TABLES) {
      const name = TABLE_DEFS[table].name;
      expect(await missingRows(name, schemas.parquet, schemas.csv), `${table}: Parquet rows not loaded from CSV`).toEqual([]);
      expect(await missingRows(name, schemas.csv, schemas.parquet), `${table}: CSV rows not loaded from Parquet`).toEqual([]);
    }
  });

  it('refuses a replaced Parquet object before decoding it, leaving the tables as they were', async () => {
    const manifest = await manifestOf('parquet');
    const victim = manifest.files.find((f) => f.entity === 'transactions' && f.rows > 0)!;
    const s3 = lakeDeps.parquet.s3;
    const original = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: stack.S3_BUCKET, Key: victim.key }))).Body!.transformToByteArray());
    const count = async () => (await pool.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ${schemas.parquet}.transactions`)).rows[0]?.n;
    const before = await count();
    try {
      const tampered = Buffer.from(original);
      tampered[tampered.length - 20] = tampered[tampered.length - 20]! ^ 0x01;
      await s3.send(new PutObjectCommand({ Bucket: stack.S3_BUCKET, Key: victim.key, Body: tampered }));
      const failure = await loadDay(warehouses.parquet, { manifest }).then(() => undefined, (error: unknown) => error);
      expect(failure).toBeInstanceOf(ManifestMismatchError);
      expect((failure as ManifestMismatchError).check).toBe('sha256');
      expect((failure as Error).message).toContain(victim.key);
      expect(await count()).toBe(before);

      const env = { ...process.env, ...stack, S3_PREFIX: lakes.parquet, LOG_LEVEL: 'warn' };
      const out = path.join(pulled, 'tampered');
      const refused = await run(process.execPath, ['bin/ledgerflow.js', 'lake', 'pull', '--date', date, '--out', out, '--entities', 'transactions'], { env, cwd: process.cwd() }).then(
        () => undefined,
        (failed: { code: number; stdout: string }) => failed,
      );
      expect(refused?.code).toBe(1);
      expect(refused?.stdout).toContain(`object mismatch\t${victim.key}\tsha256`);
      expect(existsSync(path.join(out, ...victim.key.split('/')))).toBe(false);
      const others = manifest.files.filter((f) => f.entity === 'transactions' && f.key !== victim.key);
      for (const file of others) expect(existsSync(path.join(out, ...file.key.split('/'))), file.key).toBe(true);
    } finally {
      await s3.send(new PutObjectCommand({ Bucket: stack.S3_BUCKET, Key: victim.key, Body: original }));
    }
  });

  it('`lake pull` copies the checked day locally, and DuckDB reads it as the warehouse has it (the README query)', async () => {
    const env = { ...process.env, ...stack, S3_PREFIX: lakes.parquet, LOG_LEVEL: 'warn' };
    const result = await run(process.execPath, ['bin/ledgerflow.js', 'lake', 'pull', '--date', date, '--out', pulled, '--entities', 'transactions,logs'], { env, cwd: process.cwd() });
    expect(result.stdout).toMatch(new RegExp(`^ok\t${date}\t(\\d+) of \\1 files\t`, 'm'));
    const day = path.join(pulled, lakes.parquet, `chain=${chainId}`);
    expect(readdirSync(day).sort()).toEqual(['entity=logs', 'entity=transactions', 'manifests']);

    const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
    try {
      const read = await duckdb.runAndReadAll(
        `SELECT hash, CAST(value AS VARCHAR) AS value, CAST(epoch(block_timestamp) AS BIGINT) AS ts, array_to_string(blob_versioned_hashes, ',') AS blobs
         FROM read_parquet('${day}/entity=transactions/date=${date}/**/*.parquet') ORDER BY hash`,
      );
      const fromDuckdb = (read.getRowsJS() as unknown[][]).map((row) => row.map((v) => (v === '' ? null : String(v))).join('|'));
      const { rows } = await pool.query<{ line: string }>(
        `SELECT concat_ws('|', hash, value::text, block_timestamp::text, COALESCE(blob_versioned_hashes, '')) AS line FROM ${schemas.csv}.transactions ORDER BY hash`,
      );
      expect(fromDuckdb.length).toBeGreaterThan(0);
      expect(fromDuckdb.map((line) => line.replace(/\|null$/, '|'))).toEqual(rows.map((r) => r.line));

      // The README's queries, as written there but for the folder.
      const hourly = await duckdb.runAndReadAll(
        `SELECT CAST(epoch(hour) AS BIGINT), txs, CAST(wei AS VARCHAR) FROM (
           SELECT date_trunc('hour', block_timestamp) AS hour, COUNT(*) AS txs, SUM(CAST(value AS HUGEINT)) AS wei
           FROM read_parquet('${pulled}/${lakes.parquet}/chain=${chainId}/entity=transactions/date=${date}/**/*.parquet')
           GROUP BY hour ORDER BY hour) ORDER BY 1`,
      );
      const warehouseHourly = await pool.query<{ hour: string; txs: string; wei: string }>(
        `SELECT (block_timestamp / 3600 * 3600)::text AS hour, COUNT(*)::text AS txs, SUM(value)::text AS wei FROM ${schemas.csv}.transactions GROUP BY 1 ORDER BY 1`,
      );
      expect((hourly.getRowsJS() as unknown[][]).map((row) => row.map(String))).toEqual(warehouseHourly.rows.map((r) => [r.hour, r.txs, r.wei]));

      const hive = await duckdb.runAndReadAll(
        `SELECT entity, date, COUNT(*) FROM read_parquet('${pulled}/${lakes.parquet}/chain=${chainId}/entity=*/date=*/**/*.parquet', hive_partitioning = true, union_by_name = true) GROUP BY ALL ORDER BY entity`,
      );
      const counts = await pool.query<{ logs: number; transactions: number }>(
        `SELECT (SELECT COUNT(*)::int FROM ${schemas.csv}.logs) AS logs, (SELECT COUNT(*)::int FROM ${schemas.csv}.transactions) AS transactions`,
      );
      // The hive `date` folder reads as a DATE column.
      expect((hive.getRowsJS() as unknown[][]).map((row) => row.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : String(v))))).toEqual([
        ['logs', date, String(counts.rows[0]!.logs)],
        ['transactions', date, String(counts.rows[0]!.transactions)],
      ]);
    } finally {
      duckdb.closeSync();
    }
  });
});
