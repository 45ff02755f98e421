/**
 * Model benchmark: the time of one day's incremental model update (runModels) with 3 and with 30
 * days of history in the warehouse. Synthetic rows of identical shape per day are COPYed straight
 * into the tables (no lake needed), every earlier day's models are built first, then the last
 * day's update is timed several times. The incremental update should not grow with history:
 * prints per-model times and the ratio 30-day / 3-day (target < 1.2).
 *
 *   npm run bench:models -- [--blocks 720] [--tx 10] [--repeat 5]
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createS3Client } from '../../src/lake/createS3Client.js';
import { csvFormat } from '../../src/lake/format/csvFormat.js';
import { createLogger } from '../../src/log.js';
import { migrate } from '../../src/warehouse/migrate.js';
import { runModels } from '../../src/warehouse/runMetric.js';
import { TABLE_DEFS, WAREHOUSE_TABLES } from '../../src/warehouse/tables.js';
import type { WarehouseDeps } from '../../src/warehouse/types.js';
import { startPostgres } from '../../test/support/postgres.js';
import { syntheticDay, type DayRows } from '../../test/unit/warehouse/support/syntheticDay.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const blocksPerDay = arg('blocks', 720);
const txPerBlock = arg('tx', 10);
const repeat = arg('repeat', 5);
// A Wednesday: with 3 days of history its week holds Monday to Wednesday, as with 30 days, so
// both runs rebuild the same weekly bucket and differ only in older history.
const LAST_DAY = Date.parse('2024-06-26T00:00:00Z');

const postgres = await startPostgres();
const pool = new pg.Pool({ connectionString: postgres.url, max: 3 });
// runModels never touches S3; the client only completes the deps object.
const s3 = createS3Client({ endpoint: 'http://127.0.0.1:9' });
const deps = (schema: string): WarehouseDeps => ({
  pool, s3, lake: { bucket: 'unused', prefix: 'unused' }, schema, dialect: 'postgres', logger: createLogger('warn'),
});

async function copyRows(schema: string, rows: DayRows): Promise<void> {
  const client = await pool.connect();
  try {
    for (const table of WAREHOUSE_TABLES) {
      if (!rows[table].length) continue;
      const columns = TABLE_DEFS[table].columns.map((c) => c.name);
      const lines = function* () {
        for (const row of rows[table]) yield csvFormat.row(columns, row);
      };
      const sql = `COPY ${schema}.${table} (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN WITH (FORMAT csv)`;
      await pipeline(Readable.from(lines()), client.query(copyFrom(sql)));
    }
  } finally {
    client.release();
  }
}

function dateOf(daysBeforeLast: number): string {
  return new Date(LAST_DAY - daysBeforeLast * 86_400_000).toISOString().slice(0, 10);
}

/** Builds `history` days (the last one included), models for all but the last, and times the last. */
async function measure(history: number): Promise<{ total: number[]; perModel: Record<string, number> }> {
  const schema = `bench_models_${history}`;
  await migrate(deps(schema));
  for (let d = history - 1; d >= 0; d--) {
    const index = history - 1 - d;
    await copyRows(schema, syntheticDay({ date: dateOf(d), firstBlock: 1 + index * blocksPerDay, blocks: blocksPerDay, txPerBlock, addresses: 2000 }));
  }
  await pool.query(`ANALYZE`);
  for (let d = history - 1; d >= 1; d--) await runModels(deps(schema), { date: dateOf(d) });
  const total: number[] = [];
  const perModel: Record<string, number> = {};
  for (let r = 0; r < repeat; r++) {
    const started = performance.now();
    const results = await runModels(deps(schema), { date: dateOf(0) });
    total.push(performance.now() - started);
    for (const m of results) perModel[m.model] = (perModel[m.model] ?? 0) + m.ms / repeat;
  }
  return { total, perModel };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  console.log(`history days of ${blocksPerDay} blocks x ${txPerBlock} transactions; last day updated ${repeat} times`);
  const three = await measure(3);
  const thirty = await measure(30);
  for (const [label, m] of [['3 days', three], ['30 days', thirty]] as const) {
    const models = Object.entries(m.perModel).map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
    console.log(`${label}: median ${median(m.total).toFixed(0)} ms per update (${models} ms)`);
  }
  console.log(`ratio 30-day / 3-day: ${(median(thirty.total) / median(three.total)).toFixed(2)} (target < 1.20)`);
} finally {
  s3.destroy();
  await pool.end();
  await postgres.stop();
}
