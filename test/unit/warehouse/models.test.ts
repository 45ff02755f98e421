import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDay } from '../../../src/warehouse/loadDay.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { modelCatalog } from '../../../src/warehouse/modelCatalog.js';
import { refreshMetrics, runModels } from '../../../src/warehouse/runMetric.js';
import type { WarehouseDeps } from '../../../src/warehouse/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { syntheticDay, writeLakeDay, type DayRows } from './support/syntheticDay.js';

// Saturday to Tuesday: two days in the week of 2024-02-26, two in the week of 2024-03-04.
const DAYS = ['2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05'];
const BLOCKS_PER_DAY = 30;
const MODEL_TABLES = ['chain_activity', 'token_activity', 'security_token_movements', 'security_token_balances', 'security_token_activity', 'security_token_holders'];
const METRICS = ['active_addresses', 'gas_price_histogram', 'security_token_holders_by_partition', 'security_token_issuance'];

const BUCKETS: Record<'hour' | 'day' | 'week', (ts: number) => number> = {
  hour: (ts) => ts - (ts % 3600),
  day: (ts) => ts - (ts % 86400),
  // 1970-01-05 was a Monday, as the models' weeks.
  week: (ts) => ts - ((ts - 345600) % 604800),
};
const OUTSIZED_HOLDER_3 = '0x00000000000000000000000000000000000000a3';

interface Move {
  order: number;
  timestamp: number;
  token: string;
  partition: string;
  kind: 'issue' | 'redeem' | 'transfer';
  from: string | null;
  to: string | null;
  amount: bigint;
}

let harness: Harness;
let deps: WarehouseDeps;
const dayRows: DayRows[] = [];

/** As genesis in ethereum-etl's block ranges: a block of the day whose timestamp is the day before. */
function moveFirstBlockToDayBefore(rows: DayRows): void {
  const first = rows.blocks[0]!;
  const earlier = (first.timestamp as bigint) - 60n;
  rows.blocks[0] = { ...first, timestamp: earlier };
  rows.transactions = rows.transactions.map((t) => (t.block_number === first.number ? { ...t, block_timestamp: earlier } : t));
}

async function dumpModels(): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const table of [...MODEL_TABLES, 'metrics_data']) {
    const { rows } = await deps.pool.query<{ line: string }>(`SELECT t::text AS line FROM ${deps.schema}.${table} t ORDER BY 1`);
    result[table] = rows.map((r) => r.line);
  }
  return result;
}

/** Every security-token event loaded, as the movements model sees it, in chain order. */
function securityTokenMoves(): Move[] {
  const moves: Move[] = [];
  for (const day of dayRows) {
    const timestampOf = new Map(day.blocks.map((b) => [b.number, Number(b.timestamp)]));
    for (const e of day.security_token_events) {
      const name = String(e.event_name);
      const kind = name.startsWith('Issued') ? 'issue' : name.startsWith('Redeemed') ? 'redeem' : 'transfer';
      moves.push({
        order: Number(e.block_number) * 1000 + Number(e.log_index),
        timestamp: timestampOf.get(e.block_number as bigint) as number,
        token: String(e.token_address),
        partition: String(e.partition),
        kind,
        from: kind === 'issue' ? null : (e.from_address as string | null),
        to: kind === 'redeem' ? null : (e.to_address as string | null),
        amount: e.amount as bigint,
      });
    }
  }
  return moves.sort((a, b) => a.order - b.order);
}

/** Balances by "token holder" at the end of each bucket, in bucket order. */
function replayBalances(moves: Move[], bucketOf: (ts: number) => number): Map<string, Map<string, bigint>> {
  const result = new Map<string, Map<string, bigint>>();
  const balances = new Map<string, bigint>();
  for (const m of moves) {
    if (m.to) balances.set(`${m.token} ${m.to}`, (balances.get(`${m.token} ${m.to}`) ?? 0n) + m.amount);
    if (m.from) balances.set(`${m.token} ${m.from}`, (balances.get(`${m.token} ${m.from}`) ?? 0n) - m.amount);
    result.set(String(bucketOf(m.timestamp)), new Map(balances));
  }
  return result;
}

beforeAll(async () => {
  harness = await startHarness();
  deps = harness.deps('wh_models');
  await migrate(deps);
  for (const [i, date] of DAYS.entries()) {
    const start = 5000 + i * BLOCKS_PER_DAY;
    const rows = syntheticDay({ date, firstBlock: start, blocks: BLOCKS_PER_DAY, txPerBlock: 4, addresses: 20 });
    if (i === 0) moveFirstBlockToDayBefore(rows);
    dayRows.push(rows);
    const manifest = await writeLakeDay({
      s3: deps.s3, bucket: deps.lake.bucket, prefix: deps.lake.prefix, chainId: 31337, date,
      range: { start, end: start + BLOCKS_PER_DAY - 1 }, rows, chunks: 1,
    });
    await loadDay(deps, { manifest });
  }
}, 120_000);

afterAll(async () => {
  await harness?.stop();
});

describe('models', () => {
  it('run in dependency order', async () => {
    const names = (await modelCatalog()).map((m) => m.name);
    expect(names.indexOf('security_token_movements')).toBeLessThan(names.indexOf('security_token_activity'));
    expect(names.indexOf('security_token_movements')).toBeLessThan(names.indexOf('security_token_holders'));
    expect(names.indexOf('chain_activity')).toBeLessThan(names.indexOf('active_addresses'));
    expect(names.indexOf('security_token_activity')).toBeLessThan(names.indexOf('security_token_issuance'));
    expect([...names].sort()).toEqual([...MODEL_TABLES, ...METRICS].sort());
  });

  it('incremental days in order equal a full refresh', async () => {
    for (const date of DAYS) {
      const results = await runModels(deps, { date });
      expect(results.map((r) => r.model).sort()).toEqual([...MODEL_TABLES, ...METRICS].sort());
    }
    const incremental = await dumpModels();
    expect(incremental.chain_activity?.length).toBeGreaterThan(0);
    expect(incremental.chain_activity?.some((line) => line.includes('2024-03-01 23:00:00'))).toBe(true);
    expect(incremental.security_token_holders?.length).toBeGreaterThan(0);
    for (const metric of METRICS) expect(incremental.metrics_data?.some((line) => line.startsWith(`(${metric},`)), metric).toBe(true);
    const refreshed = await refreshMetrics(deps);
    expect(refreshed.find((r) => r.model === 'chain_activity')?.rows).toBe(incremental.chain_activity?.length);
    expect(await dumpModels()).toEqual(incremental);
  });

  it('days modelled out of order (a backfill window, a delayed day) end equal to a full refresh', async () => {
    const refreshed = await dumpModels();
    for (const table of [...MODEL_TABLES, 'metrics_data']) await deps.pool.query(`DELETE FROM wh_models.${table}`);
    // The latest day first: its balances have no opening snapshot yet. Modelling the earlier days
    // afterwards models every later loaded day again, so the stale snapshot does not survive.
    for (const date of [DAYS[2], DAYS[0], DAYS[1]] as string[]) await runModels(deps, { date });
    expect(await dumpModels()).toEqual(refreshed);
  });

  it('computes chain activity per hour, day and week from the loaded rows', async () => {
    const { rows } = await deps.pool.query<{ grain: string; bucket: string; blocks: string; transactions: string; failed: string; fees: string }>(
      `SELECT grain, to_char(bucket_start, 'YYYY-MM-DD HH24') AS bucket, SUM(blocks)::text AS blocks, SUM(transactions)::text AS transactions,
         SUM(failed_transactions)::text AS failed, SUM(fees_wei)::text AS fees
       FROM wh_models.chain_activity GROUP BY grain, to_char(bucket_start, 'YYYY-MM-DD HH24') ORDER BY 1, 2`,
    );
    const day = dayRows[2] as DayRows;
    const failed = day.receipts.filter((r) => r.status === 0n).length;
    const fees = day.receipts.reduce((sum, r) => sum + (r.gas_used as bigint) * (r.effective_gas_price as bigint), 0n);
    expect(rows.find((r) => r.grain === 'day' && r.bucket === '2024-03-04 00')).toEqual({
      grain: 'day', bucket: '2024-03-04 00', blocks: String(BLOCKS_PER_DAY), transactions: String(BLOCKS_PER_DAY * 4), failed: String(failed), fees: fees.toString(),
    });
    const weeks = rows.filter((r) => r.grain === 'week').map((r) => [r.bucket, r.blocks]);
    expect(weeks).toEqual([['2024-02-26 00', String(2 * BLOCKS_PER_DAY)], ['2024-03-04 00', String(2 * BLOCKS_PER_DAY)]]);
    const hours = rows.filter((r) => r.grain === 'hour');
    expect(hours.reduce((sum, r) => sum + Number(r.blocks), 0)).toBe(DAYS.length * BLOCKS_PER_DAY);
  });

  it('sums token volumes exactly per hour, day and week, far past the 38 digits of Redshift DECIMAL', async () => {
    const expected = new Map<string, { transfers: number; volume: bigint }>();
    for (const day of dayRows) {
      const timestampOf = new Map(day.blocks.map((b) => [b.number, Number(b.timestamp)]));
      for (const transfer of day.token_transfers) {
        const ts = timestampOf.get(transfer.block_number) as number;
        for (const [grain, bucketOf] of Object.entries(BUCKETS)) {
          const key = `${grain} ${bucketOf(ts)} ${String(transfer.token_address)}`;
          const entry = expected.get(key) ?? { transfers: 0, volume: 0n };
          entry.transfers += 1;
          entry.volume += transfer.value as bigint;
          expected.set(key, entry);
        }
      }
    }
    const { rows } = await deps.pool.query<{ key: string; transfers: string; volume: string }>(
      `SELECT grain || ' ' || EXTRACT(EPOCH FROM bucket_start)::bigint || ' ' || token_address AS key, transfers::text, volume::text
       FROM wh_models.token_activity`,
    );
    const actual = new Map(rows.map((r) => [r.key, { transfers: Number(r.transfers), volume: BigInt(r.volume) }]));
    expect(actual).toEqual(expected);
    // The data holds a transfer of 2^256 - 1 on each day, so some sums need 78 digits and more.
    expect(Math.max(...rows.map((r) => r.volume.length))).toBeGreaterThan(77);
  });

  it('counts security-token holders with a positive balance at the end of each hour, day and week, balances at any size and sign', async () => {
    const moves = securityTokenMoves();
    // The data must reach what the limbs are for: a balance past 78 digits, and one that goes
    // negative and back (holder counts then fall and rise again).
    const seen = new Map<string, bigint[]>();
    for (const balances of replayBalances(moves, (ts) => ts).values()) {
      for (const [key, b] of balances) seen.set(key, [...(seen.get(key) ?? []), b]);
    }
    const all = [...seen.values()].flat();
    expect(all.some((b) => b.toString().length > 78)).toBe(true);
    const holder3 = [...seen.entries()].find(([key]) => key.endsWith(OUTSIZED_HOLDER_3))?.[1] ?? [];
    expect(holder3.some((b) => b < 0n) && holder3.some((b) => b > 0n)).toBe(true);

    for (const [grain, bucketOf] of Object.entries(BUCKETS)) {
      const expected = new Map<string, string>();
      for (const [bucket, balances] of replayBalances(moves, bucketOf)) {
        const moved = new Set(moves.filter((m) => String(bucketOf(m.timestamp)) === bucket).map((m) => m.token));
        for (const token of moved) {
          const holders = [...balances.entries()].filter(([key, b]) => key.startsWith(`${token} `) && b > 0n).length;
          expected.set(`${bucket} ${token}`, String(holders));
        }
      }
      const { rows } = await deps.pool.query<{ key: string; holders: string }>(
        `SELECT EXTRACT(EPOCH FROM bucket_start)::bigint || ' ' || token_address AS key, holders::text AS holders
         FROM wh_models.security_token_holders WHERE grain = $1`,
        [grain],
      );
      expect(new Map(rows.map((r) => [r.key, r.holders])), grain).toEqual(expected);
    }

    const lastDay = Date.parse('2024-03-05T00:00:00Z') / 1000;
    const closing = replayBalances(moves, BUCKETS.day).get(String(lastDay)) ?? new Map<string, bigint>();
    const { rows: snapshot } = await deps.pool.query<{ key: string; balance: string }>(
      `SELECT token_address || ' ' || holder AS key, balance::text AS balance FROM wh_models.security_token_balances WHERE day_start = $1`,
      [lastDay],
    );
    const nonZero = [...closing.entries()].filter(([, b]) => b !== 0n).map(([key, b]) => [key, b.toString()] as const);
    expect(new Map(snapshot.map((r) => [r.key, r.balance]))).toEqual(new Map(nonZero));
  });

  it('sums security-token amounts issued, redeemed and transferred exactly per bucket and partition', async () => {
    const moves = securityTokenMoves();
    const expected = new Map<string, { issue: bigint; redeem: bigint; transfer: bigint; movements: number }>();
    for (const m of moves) {
      for (const [grain, bucketOf] of Object.entries(BUCKETS)) {
        const key = `${grain} ${bucketOf(m.timestamp)} ${m.token} ${m.partition}`;
        const entry = expected.get(key) ?? { issue: 0n, redeem: 0n, transfer: 0n, movements: 0 };
        entry[m.kind] += m.amount;
        entry.movements += 1;
        expected.set(key, entry);
      }
    }
    const { rows } = await deps.pool.query<{ key: string; issued: string; redeemed: string; transferred: string; movements: number }>(
      `SELECT grain || ' ' || EXTRACT(EPOCH FROM bucket_start)::bigint || ' ' || token_address || ' ' || "partition" AS key,
         issued::text, redeemed::text, transferred::text, movements::int
       FROM wh_models.security_token_activity`,
    );
    const actual = new Map(rows.map((r) => [r.key, { issue: BigInt(r.issued), redeem: BigInt(r.redeemed), transfer: BigInt(r.transferred), movements: r.movements }]));
    expect(actual).toEqual(expected);
    expect(Math.max(...rows.map((r) => r.issued.length))).toBeGreaterThan(78);
  });

  it('an incremental run touches only its day and week buckets', async () => {
    await deps.pool.query(`UPDATE wh_models.chain_activity SET blocks = -1 WHERE grain IN ('hour', 'day') AND bucket_start < '2024-03-04'`);
    await deps.pool.query(`UPDATE wh_models.chain_activity SET blocks = -1 WHERE grain = 'week' AND bucket_start = '2024-02-26'`);
    await runModels(deps, { date: '2024-03-04' });
    const { rows } = await deps.pool.query<{ grain: string; untouched: number; rebuilt: number }>(
      `SELECT grain, SUM(CASE WHEN blocks = -1 THEN 1 ELSE 0 END)::int AS untouched, SUM(CASE WHEN blocks > 0 AND bucket_start >= '2024-03-04' THEN 1 ELSE 0 END)::int AS rebuilt
       FROM wh_models.chain_activity GROUP BY grain ORDER BY grain`,
    );
    expect(rows).toEqual([
      { grain: 'day', untouched: 3, rebuilt: 2 },
      { grain: 'hour', untouched: 49, rebuilt: 48 },
      { grain: 'week', untouched: 1, rebuilt: 1 },
    ]);
    await refreshMetrics(deps);
  });
});
