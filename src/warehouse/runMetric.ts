import { applyMetric, withBlockSpan, type ModelRunResult } from './applyModels.js';
import { findMetric, loadMetricRegistry, type Metric, type MetricRegistry } from './metricRegistry.js';
import { loadedDaysTable } from './migrations.js';
import { dayWindow, spanWindow } from './modelWindow.js';
import type { BlockRange } from '../chain/types.js';
import { METRICS_TABLE, type TimeWindow } from './parseModel.js';
import { qualified } from './sqlIdentifier.js';
import type { SqlWarehouseDeps } from './types.js';
import { watchConnectionErrors } from './watchConnectionErrors.js';

export type { ModelRunResult } from './applyModels.js';

export interface RunMetricInput {
  metric: string;
  /** The UTC day whose buckets (its hours, the day, its week) are computed again. */
  date: string;
  /** The block range the day's load committed; without it, the one loaded_days records. */
  range?: BlockRange;
}

/**
 * One metric for one UTC day: the day's hourly and daily buckets and its week's bucket are
 * deleted and computed again from the loaded tables; nothing else is touched.
 *
 * Balances carry over from the previous day's snapshot, so a day modelled before an earlier day
 * was loaded (a backfill window, a retried or delayed day) holds a stale snapshot. Every later
 * day already loaded is therefore computed again, in date order, after this one; on the daily
 * schedule there is none. Runs of one metric take turns so its days are rebuilt in order.
 */
export async function runMetric(deps: SqlWarehouseDeps, input: RunMetricInput, registry?: MetricRegistry): Promise<ModelRunResult> {
  const metric = findMetric(registry ?? (await registryOf(deps)), input.metric);
  return withMetricLock(deps, metric, async () => {
    const first = await metricDay(deps, metric, input.date, input.range);
    let ms = first.ms;
    for (const later of await laterLoadedDays(deps, input.date)) ms += (await metricDay(deps, metric, later)).ms;
    return { ...first, ms };
  });
}

/**
 * Every metric that runs after a day's load, in dependency order. Files left out of the registry
 * are logged and skipped: a bad user file never stops the built-ins or the day.
 */
export async function runModels(deps: SqlWarehouseDeps, input: { date: string; range?: BlockRange }): Promise<ModelRunResult[]> {
  const registry = await registryOf(deps);
  const results: ModelRunResult[] = [];
  for (const metric of afterLoad(registry)) results.push(await runMetric(deps, { ...input, metric: metric.name }, registry));
  return results;
}

export interface RefreshInput {
  /** One metric; all of them (in dependency order) when absent. */
  metric?: string;
  /** First and last UTC day to rebuild; everything loaded when absent. */
  from?: string;
  to?: string;
}

/**
 * Rebuilds metrics with the same SQL as the incremental run. Over everything loaded, each metric's
 * rows are emptied first, so the result equals running every loaded day in date order; over
 * [from, to], only the buckets of those days (and their weeks) are replaced.
 */
export async function refreshMetrics(deps: SqlWarehouseDeps, input: RefreshInput = {}): Promise<ModelRunResult[]> {
  const registry = await registryOf(deps);
  const metrics = input.metric ? [findMetric(registry, input.metric)] : registry.metrics;
  const window = input.from && input.to ? spanWindow(dayWindow(input.from).hourFrom, dayWindow(input.to).hourFrom) : await loadedSpan(deps);
  const resolved = window && (await withBlockSpan(deps, window));
  const results: ModelRunResult[] = [];
  for (const metric of metrics) {
    const deleteSql = input.from && resolved ? metric.deleteSql(deps.dialect, deps.schema, resolved) : deleteAll(deps, metric);
    results.push(await withMetricLock(deps, metric, () => applyMetric(deps, metric, resolved, deleteSql, { refresh: true, ...(input.from ? { from: input.from, to: input.to } : {}) })));
  }
  return results;
}

/** Runs after each day's load (the rest run on their own Temporal Schedule). */
export function afterLoad(registry: MetricRegistry): Metric[] {
  return registry.metrics.filter((m) => m.schedule.kind === 'after-load');
}

async function registryOf(deps: SqlWarehouseDeps): Promise<MetricRegistry> {
  const registry = await loadMetricRegistry(deps.metricsDir ? { userDir: deps.metricsDir } : {});
  for (const problem of registry.problems) deps.logger.warn({ file: problem.file, source: problem.source }, `metric left out: ${problem.message}`);
  return registry;
}

function deleteAll(deps: SqlWarehouseDeps, metric: Metric): string {
  const table = qualified(deps.schema, metric.table);
  return metric.table === METRICS_TABLE ? `DELETE FROM ${table} WHERE metric = '${metric.name}'` : `DELETE FROM ${table}`;
}

async function loadedSpan(deps: SqlWarehouseDeps): Promise<TimeWindow | undefined> {
  const span = await deps.pool.query<{ first: string | null; last: string | null }>(`SELECT MIN("timestamp") AS first, MAX("timestamp") AS last FROM ${qualified(deps.schema, 'blocks')}`);
  const first = span.rows[0]?.first;
  const last = span.rows[0]?.last;
  return first == null || last == null ? undefined : spanWindow(Number(first), Number(last));
}

/**
 * The day's window, widened to every block loaded for the day: block ranges follow ethereum-etl,
 * which counts the genesis block into the day of block 1 even though its timestamp is earlier.
 * The buckets of such blocks are rebuilt with the day, so the union of incremental days still
 * covers every loaded block, exactly as a refresh does.
 */
async function loadedDayWindow(deps: SqlWarehouseDeps, date: string, range?: BlockRange): Promise<TimeWindow> {
  const day = dayWindow(date);
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

async function metricDay(deps: SqlWarehouseDeps, metric: Metric, date: string, range?: BlockRange): Promise<ModelRunResult> {
  const window = await withBlockSpan(deps, await loadedDayWindow(deps, date, range));
  return applyMetric(deps, metric, window, metric.deleteSql(deps.dialect, deps.schema, window), { date });
}

async function laterLoadedDays(deps: SqlWarehouseDeps, date: string): Promise<string[]> {
  const { rows } = await deps.pool.query<{ day: string }>(
    `SELECT DISTINCT CAST(day AS VARCHAR(10)) AS day FROM ${loadedDaysTable(deps.schema)} WHERE day > CAST($1 AS DATE) ORDER BY 1`,
    [date],
  );
  return rows.map((r) => r.day);
}

/**
 * PostgreSQL: a session advisory lock per schema and metric, held across a run's later days.
 * Redshift has none; there each metric's table lock (applyMetric) still orders the rewrites, and
 * the later run's cascade has the last word.
 */
async function withMetricLock<T>(deps: SqlWarehouseDeps, metric: Metric, body: () => Promise<T>): Promise<T> {
  if (deps.dialect !== 'postgres') return body();
  const client = await deps.pool.connect();
  const lock = `ledgerflow-metric-run/${deps.schema}/${metric.name}`;
  // The lock's session sits idle while the metric runs on other connections.
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
