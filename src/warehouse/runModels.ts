import { applyModels, type ModelRunResult } from './applyModels.js';
import { loadedDaysTable } from './migrations.js';
import { dayWindow, spanWindow } from './modelWindow.js';
import type { BlockRange } from '../chain/types.js';
import type { TimeWindow } from './parseModel.js';
import { qualified } from './sqlIdentifier.js';
import type { WarehouseDeps } from './types.js';
import { watchConnectionErrors } from './watchConnectionErrors.js';

export type { ModelRunResult } from './applyModels.js';

/**
 * The day's window, widened to every block loaded for the day: block ranges follow ethereum-etl,
 * which counts the genesis block into the day of block 1 even though its timestamp is earlier.
 * The buckets of such blocks are rebuilt with the day, so the union of incremental days still
 * covers every loaded block, exactly as a refresh does.
 */
async function loadedDayWindow(deps: WarehouseDeps, date: string, range?: BlockRange): Promise<TimeWindow> {
  const day = dayWindow(date);
  // The caller's range is the one its load committed; without one, the range loaded_days records.
  const { rows } = range
    ? await deps.pool.query<{ first: string | null; last: string | null }>(
        `SELECT MIN("timestamp") AS first, MAX("timestamp") AS last FROM ${qualified(deps.schema, 'blocks')} WHERE number BETWEEN $1 AND $2`,
        [range.start, range.end],
      )
    : await deps.pool.query<{ first: string | null; last: string | null }>(
        `SELECT MIN(b."timestamp") AS first, MAX(b."timestamp") AS last
         FROM ${loadedDaysTable(deps.schema)} d JOIN ${qualified(deps.schema, 'blocks')} b ON b.number BETWEEN d.start_block AND d.end_block
         WHERE d.day = $1`,
        [date],
      );
  const first = rows[0]?.first;
  const last = rows[0]?.last;
  if (first == null || last == null) return day;
  return spanWindow(Math.min(day.hourFrom, Number(first)), Math.max(day.hourFrom, Number(last)));
}

/**
 * Updates every model for one UTC day, in dependency order: the day's hourly and daily buckets
 * and its week's bucket are deleted and computed again from the loaded tables; nothing else is
 * touched. Each model commits on its own, under a lock on its table, so two days of one week
 * never interleave their weekly rewrite.
 */
export async function runModels(deps: WarehouseDeps, input: { date: string; range?: BlockRange }): Promise<ModelRunResult[]> {
  // Balances carry over from the previous day's snapshot, so a day modelled before an earlier day
  // was loaded (a backfill window, a retried or delayed day) holds a stale snapshot. Every later
  // day already loaded is therefore modelled again, in date order, after this one; on the daily
  // schedule there is none. Runs of one schema take turns so the chain is rebuilt in order.
  return withModelLock(deps, async () => {
    const results = await modelDay(deps, input.date, input.range);
    for (const later of await laterLoadedDays(deps, input.date)) await modelDay(deps, later);
    return results;
  });
}

async function modelDay(deps: WarehouseDeps, date: string, range?: BlockRange): Promise<ModelRunResult[]> {
  const window = await loadedDayWindow(deps, date, range);
  return applyModels(deps, window, (model, resolved) => model.deleteSql(deps.dialect, deps.schema, resolved ?? { ...window, blockFrom: 0, blockTo: -1 }), { date });
}

async function laterLoadedDays(deps: WarehouseDeps, date: string): Promise<string[]> {
  const { rows } = await deps.pool.query<{ day: string }>(
    `SELECT DISTINCT CAST(day AS VARCHAR(10)) AS day FROM ${loadedDaysTable(deps.schema)} WHERE day > CAST($1 AS DATE) ORDER BY 1`,
    [date],
  );
  return rows.map((r) => r.day);
}

/**
 * PostgreSQL: a session advisory lock per schema. Redshift has none; there each model's table lock
 * (applyModels) still orders the rewrites, and the later run's cascade has the last word.
 */
async function withModelLock<T>(deps: WarehouseDeps, body: () => Promise<T>): Promise<T> {
  if (deps.dialect !== 'postgres') return body();
  const client = await deps.pool.connect();
  const lock = `ledgerflow-models/${deps.schema}`;
  // The lock's session sits idle while the models run on other connections.
  const unwatch = watchConnectionErrors(client, deps.logger, { lock });
  let broken = false;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lock]);
    try {
      return await body();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lock]).catch(() => {
        broken = true;
      });
    }
  } finally {
    client.release(broken);
    unwatch();
  }
}

