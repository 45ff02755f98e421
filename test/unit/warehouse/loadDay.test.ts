import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DayManifest } from '../../../src/lake/types.js';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { loadedDayRecord } from '../../../src/warehouse/loadedDayRecord.js';
import { verifyWarehouseDay } from '../../../src/warehouse/verifyWarehouseDay.js';
import { ManifestMismatchError } from '../../../src/warehouse/loadErrors.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { WAREHOUSE_TABLES } from '../../../src/warehouse/tables.js';
import { MIGRATIONS } from '../../../src/warehouse/migrations.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, UINT256_MAX, writeLakeDay } from './support/syntheticDay.js';

const DATE = '2024-03-04';
const RANGE = { start: 1000, end: 1047 };

let harness: Harness;
let deps: WarehouseDeps;
let manifest: DayManifest;
const rows = syntheticDay({ date: DATE, firstBlock: RANGE.start, blocks: 48, txPerBlock: 6 });

/** Every table's rows in a fixed order, as text: equal dumps mean equal tables. */
async function dump(): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of WAREHOUSE_TABLES) {
    const { rows: found } = await deps.pool.query<{ line: string }>(`SELECT t::text AS line FROM ${deps.schema}.${table} t ORDER BY 1`);
    result[table] = found.map((r) => r.line);
  }
  return result;
}

async function expectMismatch(promise: Promise<unknown>, check: string): Promise<ManifestMismatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ManifestMismatchError);
  const mismatch = error as ManifestMismatchError;
  expect(mismatch.check).toBe(check);
  expect(mismatch.retryable).toBe(false);
  return mismatch;
}

beforeAll(async () => {
  harness = await startHarness();
  deps = harness.deps('wh_load');
  await migrate(deps);
  manifest = await writeLakeDay({
    s3: deps.s3, bucket: deps.lake.bucket, prefix: deps.lake.prefix, chainId: 31337, date: DATE, range: RANGE, rows, chunks: 3,
  });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
});

describe('migrate', () => {
  it('is re-runnable: a second run applies nothing and keeps one record per version', async () => {
    const again = await migrate(deps);
    expect(again.applied).toEqual([]);
    const { rows: versions } = await deps.pool.query('SELECT version FROM wh_load.schema_migrations ORDER BY version');
    expect(versions.map((r: { version: number }) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('gives uint256 columns NUMERIC(78,0) and indexes for block and time range scans', async () => {
    const { rows: types } = await deps.pool.query<{ data_type: string; numeric_precision: number }>(
      `SELECT data_type, numeric_precision FROM information_schema.columns WHERE table_schema = 'wh_load' AND table_name = 'token_transfers' AND column_name = 'value'`,
    );
    expect(types[0]).toEqual({ data_type: 'numeric', numeric_precision: 78 });
    const { rows: indexes } = await deps.pool.query<{ indexname: string }>(`SELECT indexname FROM pg_indexes WHERE schemaname = 'wh_load' AND tablename = 'blocks' ORDER BY 1`);
    expect(indexes.map((i) => i.indexname)).toEqual(['blocks_number_idx', 'blocks_timestamp_idx']);
  });
});

describe('loadDay on PostgreSQL', () => {
  it('loads every table with the manifest row counts', async () => {
    const result = await loadDay(deps, { manifest });
    const expected = Object.fromEntries(WAREHOUSE_TABLES.map((t) => [t, rows[t].length]));
    expect(Object.fromEntries(result.tables.map((t) => [t.table, t.rows]))).toEqual(expected);
    const counts = await dump();
    expect(Object.fromEntries(Object.entries(counts).map(([t, r]) => [t, r.length]))).toEqual(expected);
    expect(rows.transactions.length).toBeGreaterThan(0);
  });

  it('leaves the tables identical when the day is loaded again', async () => {
    const before = await dump();
    await loadDay(deps, { manifest });
    expect(await dump()).toEqual(before);
    const { rows: staging } = await deps.pool.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'wh_load' AND tablename LIKE 'stg_%'`);
    expect(staging).toEqual([]);
  });

  it('round-trips uint256 max exactly', async () => {
    const { rows: found } = await deps.pool.query<{ value: string }>(
      `SELECT value::text AS value FROM wh_load.token_transfers WHERE block_number = $1 AND log_index = 0`,
      [RANGE.start],
    );
    expect(found[0]?.value).toBe(UINT256_MAX.toString());
    const { rows: supply } = await deps.pool.query<{ total_supply: string }>('SELECT total_supply::text AS total_supply FROM wh_load.tokens');
    expect(supply[0]?.total_supply).toBe('115792089237316195423570985008687907853269984665640564039457584007913129639935');
  });

  it('keeps CSV text intact: quoted commas, list columns, booleans and NULLs', async () => {
    const { rows: token } = await deps.pool.query('SELECT name, symbol FROM wh_load.tokens');
    expect(token[0]).toEqual({ name: 'Token, "quoted"', symbol: 'TKN' });
    const { rows: contract } = await deps.pool.query('SELECT function_sighashes, is_erc20, is_erc721 FROM wh_load.contracts');
    expect(contract[0]).toEqual({ function_sighashes: '0x06fdde03,0xa9059cbb', is_erc20: true, is_erc721: false });
    const { rows: nulls } = await deps.pool.query('SELECT COUNT(*)::int AS n FROM wh_load.blocks WHERE total_difficulty IS NULL AND withdrawals IS NULL');
    expect(nulls[0]).toEqual({ n: 48 });
  });

  it('runs concurrent loads of one day one after another without exhausting a small pool', async () => {
    const before = await dump();
    const small = new pg.Pool({ connectionString: harness.postgres.url, max: 2 });
    try {
      const narrow = { ...deps, pool: small };
      const results = await Promise.all([
        loadDay(narrow, { manifest }),
        ...(['logs', 'blocks', 'receipts', 'token_transfers'] as const).map((table) => loadDay(narrow, { manifest, tables: [table] })),
      ]);
      expect(results).toHaveLength(5);
    } finally {
      await small.end();
    }
    expect(await dump()).toEqual(before);
  });

  it('replaces only the day: rows of other block ranges stay', async () => {
    await deps.pool.query(`INSERT INTO wh_load.logs (log_index, block_number, address) VALUES (0, 999, '0xother')`);
    await loadDay(deps, { manifest, tables: ['logs'] });
    const { rows: other } = await deps.pool.query('SELECT COUNT(*)::int AS n FROM wh_load.logs WHERE block_number = 999');
    expect(other[0]).toEqual({ n: 1 });
    await deps.pool.query('DELETE FROM wh_load.logs WHERE block_number = 999');
  });
});

describe('loadDay records the manifest it loaded, as one unit with the tables', () => {
  const sha = (c: string) => c.repeat(64);

  it('records the manifest key and sha256 in loaded_days, and verifyWarehouseDay agrees', async () => {
    await loadDay(deps, { manifest, manifestKey: 'lake/manifest.json', manifestSha256: sha('a') });
    expect(await loadedDayRecord(deps, { chainId: 31337, date: DATE })).toEqual({ manifestSha256: sha('a'), manifestKey: 'lake/manifest.json', range: RANGE });
    expect(await loadedDayRecord(deps, { chainId: 31337, date: '1999-01-01' })).toBeUndefined();
    const check = await verifyWarehouseDay(deps, { manifest, manifestSha256: sha('a') });
    expect(check.mismatches).toEqual([]);
    expect(check.tables.find((t) => t.table === 'transactions')).toEqual({ table: 'transactions', expectedRows: 288, actualRows: 288 });
  });

  it('a load that fails on its last table leaves every table and the loaded_days row as they were', async () => {
    await loadDay(deps, { manifest, manifestKey: 'lake/manifest.json', manifestSha256: sha('a') });
    const before = await dump();
    // The smallest table is staged last (largest first), so the others are already swapped in the transaction.
    const bytes = (entity: string) => manifest.files.filter((f) => f.entity === entity).reduce((sum, f) => sum + f.bytes, 0);
    const smallest = [...new Set(manifest.files.map((f) => f.entity))].sort((a, b) => bytes(a) - bytes(b))[0]!;
    const broken = { ...manifest, files: manifest.files.map((f) => (f.entity === smallest ? { ...f, sha256: sha('d') } : f)) };
    const staged: string[] = [];
    await expectMismatch(loadDay(deps, { manifest: broken, manifestKey: 'lake/manifest.v2.json', manifestSha256: sha('c'), onTableStaged: (t) => staged.push(t.table) }), 'sha256');
    expect(staged.length).toBeGreaterThan(0);
    expect(await dump()).toEqual(before);
    expect((await loadedDayRecord(deps, { chainId: 31337, date: DATE }))?.manifestSha256).toBe(sha('a'));
  });

  it('a load whose connection is terminated mid-swap (pg_terminate_backend) leaves every table and the loaded_days row as they were', async () => {
    await loadDay(deps, { manifest, manifestKey: 'lake/manifest.json', manifestSha256: sha('a') });
    const before = await dump();
    // SHARE blocks the swap's write to loaded_days, which comes after every table's DELETE and
    // INSERT, while letting reads through: the load is then caught with all its tables swapped.
    const blocker = new pg.Client({ connectionString: harness.postgres.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE wh_load.loaded_days IN SHARE MODE');
      const load = loadDay(deps, { manifest, manifestKey: 'lake/manifest.v2.json', manifestSha256: sha('e') }).then(
        () => undefined,
        (e: unknown) => e,
      );
      let terminated = false;
      // Staging comes first and takes seconds when the machine is busy: wait for the swap generously.
      const deadline = Date.now() + 90_000;
      while (!terminated && Date.now() < deadline) {
        // Polled from the pool, not the blocker: inside a transaction pg_stat_activity is a snapshot.
        const { rows: waiting } = await deps.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%loaded_days%' AND query NOT LIKE 'LOCK%' AND pid <> pg_backend_pid()`,
        );
        for (const { pid } of waiting) terminated = (await deps.pool.query<{ ok: boolean }>('SELECT pg_terminate_backend($1) AS ok', [pid])).rows[0]?.ok === true;
        if (!terminated) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(terminated).toBe(true);
      await blocker.query('ROLLBACK');
      expect(await load).toBeInstanceOf(Error);
    } finally {
      await blocker.end();
    }
    expect(await dump()).toEqual(before);
    expect(await loadedDayRecord(deps, { chainId: 31337, date: DATE })).toEqual({ manifestSha256: sha('a'), manifestKey: 'lake/manifest.json', range: RANGE });
  }, 120_000);

  it('verifyWarehouseDay names the table with missing rows and a day loaded from another manifest', async () => {
    await loadDay(deps, { manifest, manifestKey: 'lake/manifest.json', manifestSha256: sha('a') });
    await deps.pool.query(`DELETE FROM wh_load.logs WHERE block_number = $1`, [RANGE.start + 3]);
    try {
      const check = await verifyWarehouseDay(deps, { manifest, manifestSha256: sha('b') });
      expect(check.loadedManifestSha256).toBe(sha('a'));
      expect(check.mismatches.find((m) => m.startsWith('loaded_days mismatch'))).toContain(sha('b'));
      expect(check.mismatches.find((m) => m.startsWith('logs mismatch'))).toMatch(/rows in blocks 1000-1047, manifest \d+/);
      expect(check.mismatches).toHaveLength(2);
    } finally {
      await loadDay(deps, { manifest });
    }
  });
});

describe('loadDay with a bad manifest', () => {
  const firstTransactions = () => {
    const file = manifest.files.find((f) => f.entity === 'transactions');
    if (!file) throw new Error('no transactions file');
    return file;
  };
  const withFile = (change: Partial<DayManifest['files'][number]>): DayManifest => ({
    ...manifest,
    files: manifest.files.map((f) => (f === firstTransactions() ? { ...f, ...change } : f)),
  });

  it('fails on a wrong row count, names key, table, expected and actual, and changes nothing', async () => {
    const before = await dump();
    const file = firstTransactions();
    const error = await expectMismatch(loadDay(deps, { manifest: withFile({ rows: file.rows + 1 }) }), 'rows');
    expect(error.message).toContain(file.key);
    expect(error.message).toContain('table transactions');
    expect(error.message).toContain(`expected ${file.rows + 1}, got ${file.rows}`);
    expect(await dump()).toEqual(before);
  });

  it('fails on a wrong sha256 and changes nothing', async () => {
    const before = await dump();
    const error = await expectMismatch(loadDay(deps, { manifest: withFile({ sha256: 'ab'.repeat(32) }) }), 'sha256');
    expect(error.message).toContain(`expected ${'ab'.repeat(32)}, got ${firstTransactions().sha256}`);
    expect(await dump()).toEqual(before);
  });

  it('fails on a missing file and changes nothing', async () => {
    const before = await dump();
    const error = await expectMismatch(loadDay(deps, { manifest: withFile({ key: 'lake/nowhere/transactions.csv.gz' }) }), 'missing');
    expect(error.message).toContain('lake/nowhere/transactions.csv.gz');
    expect(await dump()).toEqual(before);
  });

  it('fails when an object was replaced behind the manifest, even with a valid gzip CSV of the same rows', async () => {
    const before = await dump();
    const file = firstTransactions();
    const original = await deps.s3.send(new GetObjectCommand({ Bucket: deps.lake.bucket, Key: file.key }));
    const bytes = Buffer.from((await original.Body?.transformToByteArray()) ?? []);
    await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: file.key, Body: gzipSync(gunzipSync(bytes), { level: 1 }) }));
    try {
      await expectMismatch(loadDay(deps, { manifest }), 'sha256');
      expect(await dump()).toEqual(before);
    } finally {
      await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: file.key, Body: bytes }));
    }
  });

  it('fails on rows outside the day range and changes nothing', async () => {
    const before = await dump();
    const shifted = { ...manifest, range: { start: RANGE.start + 1, end: RANGE.end } };
    const error = await expectMismatch(loadDay(deps, { manifest: shifted }), 'range');
    expect(error.message).toContain(`${RANGE.start}`);
    expect(await dump()).toEqual(before);
  });

  it('fails on a value that does not fit its column, or an unknown column, and changes nothing', async () => {
    const before = await dump();
    const file = firstTransactions();
    const put = async (key: string, text: string) => {
      const body = gzipSync(Buffer.from(text));
      await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: body }));
      return { key, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length, rows: 1 };
    };
    const badValue = await put('lake/bad/transactions-value.csv.gz', `hash,block_number,value\n0xab,${RANGE.start},12x\n`);
    const error = await expectMismatch(loadDay(deps, { manifest: withFile(badValue) }), 'format');
    expect(error.message).toContain('lake/bad/transactions-value.csv.gz');
    const badColumn = await put('lake/bad/transactions-column.csv.gz', `hash,block_number,colour\n0xab,${RANGE.start},red\n`);
    const columnError = await expectMismatch(loadDay(deps, { manifest: withFile(badColumn) }), 'columns');
    expect(columnError.message).toContain('unknown column(s) colour');
    expect(file.key).not.toBe(badValue.key);
    expect(await dump()).toEqual(before);
  });

  it('fails on a row with no block number, which the range check in the INSERT must not let through, and changes nothing', async () => {
    const before = await dump();
    const body = gzipSync(Buffer.from('hash,block_number\n0xab,\n'));
    const key = 'lake/bad/transactions-no-block.csv.gz';
    await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: body }));
    const noBlock = { key, sha256: createHash('sha256').update(body).digest('hex'), bytes: body.length, rows: 1 };
    const error = await expectMismatch(loadDay(deps, { manifest: withFile(noBlock) }), 'range');
    expect(error.message).toContain('1 row(s) outside, first NULL');
    expect(await dump()).toEqual(before);
  });

  it('refuses a table the day was not exported with', async () => {
    await expect(loadDay(deps, { manifest: { ...manifest, entities: ['blocks'] }, tables: ['logs'] })).rejects.toThrow(/not exported with table\(s\) logs/);
  });

  it('recovers after a failed load: the next good load succeeds', async () => {
    const result = await loadDay(deps, { manifest });
    expect(result.tables.find((t) => t.table === 'transactions')?.rows).toBe(rows.transactions.length);
  });
});
