import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../../src/lake/format/types.js';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { modelCatalog } from '../../../src/warehouse/modelCatalog.js';
import { refreshMetrics, runModels } from '../../../src/warehouse/runMetric.js';
import { TABLE_DEFS, WAREHOUSE_TABLES } from '../../../src/warehouse/tables.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, writeLakeDay } from './support/syntheticDay.js';

/**
 * Redshift is not here, but its rendering of the models is plain SQL that PostgreSQL also runs:
 * amounts as decimal text, limbs as DECIMAL(38,0) (which PostgreSQL, like Redshift, refuses past
 * 38 digits). This runs that rendering over Redshift-shaped copies of the entity tables and
 * compares every model with the PostgreSQL rendering over the same rows.
 */
const DAYS = ['2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05'];
const MODEL_TABLES = ['chain_activity', 'token_activity', 'security_token_movements', 'security_token_balances', 'security_token_activity', 'security_token_holders'];
const TOKEN = `0x${'8'.repeat(40)}`;
const [X, Y, Z, W] = ['b1', 'b2', 'b3', 'b4'].map((s) => `0x${s.padStart(40, '0')}`) as [string, string, string, string];
const ZERO = `0x${'0'.repeat(40)}`;
const B = 10n ** 26n;

/** Balances that land exactly on limb boundaries, zero and below it; events without a partition. */
const EDGE_EVENTS: Array<{ day: number; block: number; name: string; from: string | null; to: string | null; amount: bigint; partition: boolean }> = [
  { day: 0, block: 3, name: 'RedeemedByPartition', from: X, to: null, amount: 10n ** 60n + 7n, partition: true },
  { day: 0, block: 4, name: 'RedeemedByPartition', from: Y, to: null, amount: B * B, partition: true },
  { day: 0, block: 5, name: 'TransferByPartition', from: Z, to: Z, amount: 5n, partition: true },
  { day: 0, block: 6, name: 'Issued', from: null, to: W, amount: 2n ** 256n - 1n, partition: false },
  { day: 0, block: 7, name: 'TransferByPartition', from: ZERO, to: W, amount: B, partition: true },
  { day: 1, block: 3, name: 'TransferByPartition', from: W, to: X, amount: 10n ** 60n + 7n, partition: true },
  { day: 1, block: 4, name: 'IssuedByPartition', from: null, to: Y, amount: B * B - B, partition: true },
  { day: 1, block: 5, name: 'IssuedByPartition', from: null, to: Z, amount: B * B, partition: true },
  { day: 2, block: 3, name: 'IssuedByPartition', from: null, to: Y, amount: B, partition: true },
  { day: 2, block: 3, name: 'RedeemedByPartition', from: Y, to: null, amount: 1n, partition: true },
  { day: 3, block: 3, name: 'IssuedByPartition', from: null, to: Y, amount: 2n, partition: true },
  { day: 3, block: 3, name: 'ControllerRedemption', from: Z, to: null, amount: B * B, partition: false },
];

let harness: Harness;
let postgres: WarehouseDeps;
let redshift: WarehouseDeps;

async function dump(deps: WarehouseDeps): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of MODEL_TABLES) {
    const { rows } = await deps.pool.query<{ line: string }>(`SELECT t::text AS line FROM ${deps.schema}.${table} t ORDER BY 1`);
    result[table] = rows.map((r) => r.line);
  }
  // NUMERIC on PostgreSQL, DECIMAL(38,6) on Redshift: compare the numbers, not their scale.
  const { rows } = await deps.pool.query<{ line: string }>(
    `SELECT (metric, grain, bucket_start, dimensions, CAST(value AS DOUBLE PRECISION), value_json)::text AS line FROM ${deps.schema}.metrics_data ORDER BY 1`,
  );
  result.metrics_data = rows.map((r) => r.line);
  return result;
}

beforeAll(async () => {
  harness = await startHarness();
  postgres = harness.deps('wh_rs_pg');
  redshift = { ...harness.deps('wh_rs_text'), dialect: 'redshift' };
  await migrate(postgres);
  for (const [i, date] of DAYS.entries()) {
    const start = 7000 + i * 30;
    const rows = syntheticDay({ date, firstBlock: start, blocks: 30, txPerBlock: 4, addresses: 20 });
    const template = rows.security_token_events[0] as Row;
    for (const [k, e] of EDGE_EVENTS.filter((x) => x.day === i).entries()) {
      const block = rows.blocks[e.block] as Row;
      rows.security_token_events.push({
        ...template, block_number: block.number as bigint, block_hash: block.hash as string, transaction_hash: `0x${String(900 + i * 50 + k).padStart(64, '0')}`,
        log_index: BigInt(900 + k), token_address: TOKEN, event_name: e.name, from_address: e.from, to_address: e.to, amount: e.amount,
        partition: e.partition ? `0x${'c3'.repeat(32)}` : null,
      });
    }
    const manifest = await writeLakeDay({
      s3: postgres.s3, bucket: postgres.lake.bucket, prefix: postgres.lake.prefix, chainId: 31337, date,
      range: { start, end: start + 29 }, rows, chunks: 1,
    });
    await loadDay(postgres, { manifest });
  }
  // The entity tables as Redshift holds them: uint256 as decimal text, wei as DECIMAL(38,0).
  const pool = postgres.pool;
  await pool.query(`CREATE SCHEMA ${redshift.schema}`);
  for (const table of [...WAREHOUSE_TABLES, 'loaded_days']) {
    await pool.query(`CREATE TABLE ${redshift.schema}.${table} AS SELECT * FROM ${postgres.schema}.${table}`);
  }
  for (const table of WAREHOUSE_TABLES) {
    for (const column of TABLE_DEFS[table].columns) {
      const type = column.type === 'uint256' ? 'VARCHAR(78)' : column.type === 'wei' ? 'DECIMAL(38,0)' : undefined;
      if (type) await pool.query(`ALTER TABLE ${redshift.schema}.${table} ALTER COLUMN "${column.name}" TYPE ${type}`);
    }
  }
  for (const model of await modelCatalog()) {
    for (const statement of model.createStatements('redshift', redshift.schema)) await pool.query(statement);
  }
  // Redshift's metrics_data, less the DISTKEY and SORTKEY PostgreSQL cannot parse.
  await pool.query(`CREATE TABLE ${redshift.schema}.metrics_data (LIKE ${postgres.schema}.metrics_data)`);
  await pool.query(`ALTER TABLE ${redshift.schema}.metrics_data ALTER COLUMN value TYPE DECIMAL(38,6), ALTER COLUMN value_json TYPE VARCHAR(65535)`);
  for (const date of DAYS) {
    await runModels(postgres, { date });
    await runModels(redshift, { date });
  }
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

describe("the models' Redshift SQL, run on PostgreSQL (Redshift itself is not here)", () => {
  it('gives the same amounts, balances and holders as the PostgreSQL SQL, row for row', async () => {
    const expected = await dump(postgres);
    for (const table of [...MODEL_TABLES, 'metrics_data']) expect(expected[table]?.length, table).toBeGreaterThan(0);
    expect(await dump(redshift)).toEqual(expected);
    const { rows } = await postgres.pool.query<{ holder: string; balance: string }>(
      `SELECT holder, balance::text AS balance FROM ${postgres.schema}.security_token_balances
       WHERE token_address = $1 AND day_start = (SELECT MAX(day_start) FROM ${postgres.schema}.security_token_balances) ORDER BY holder`,
      [TOKEN],
    );
    // X: -(10^60 + 7) + (10^60 + 7) = 0, gone; Y: -10^52 + 10^52 - 10^26 + 10^26 - 1 + 2 = 1; Z: 10^52 - 10^52 = 0, gone.
    expect(rows).toEqual([
      { holder: Y, balance: '1' },
      { holder: W, balance: String(2n ** 256n - 1n + B - (10n ** 60n + 7n)) },
    ]);
    const { rows: text } = await redshift.pool.query<{ type: string }>(
      `SELECT data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'security_token_balances' AND column_name = 'balance'`,
      [redshift.schema],
    );
    expect(text).toEqual([{ type: 'character varying' }]);
  });

  it('refreshes the Redshift rendering to the union of its incremental days', async () => {
    const incremental = await dump(redshift);
    await refreshMetrics(redshift);
    expect(await dump(redshift)).toEqual(incremental);
  });
});
