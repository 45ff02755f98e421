import type { Metric } from './metricRegistry.js';
import { errorLine, METRICS_TABLE, ModelFileError, type LocatedStatement, type ModelWindow, type TimeWindow } from './parseModel.js';
import { qualified } from './sqlIdentifier.js';
import type { SqlWarehouseDeps } from './types.js';
import { watchConnectionErrors } from './watchConnectionErrors.js';

export interface ModelRunResult {
  model: string;
  ms: number;
  rows: number;
}

/**
 * One metric over one window, in one transaction: its buckets in the window are deleted and
 * inserted again, so a repeated run leaves the same rows (the idempotent upsert per metric, grain,
 * bucket and dimensions). Without a window (nothing loaded) it only deletes.
 */
export async function applyMetric(
  deps: SqlWarehouseDeps,
  metric: Metric,
  window: ModelWindow | undefined,
  deleteSql: string,
  logContext: Record<string, unknown>,
): Promise<ModelRunResult> {
  const started = performance.now();
  const client = await deps.pool.connect();
  const unwatch = watchConnectionErrors(client, deps.logger, { ...logContext, model: metric.name });
  let rows = 0;
  let failed = false;
  try {
    await client.query('BEGIN');
    // A user's model creates its own table on first use; built-in tables come from migrations.
    if (metric.source === 'user') for (const statement of metric.createStatements(deps.dialect, deps.schema)) await client.query(statement);
    await lockMetric(client, deps, metric);
    // A day's update takes milliseconds; compiling the exact-amount arithmetic (limbSql.ts) to
    // machine code, which PostgreSQL starts doing once history makes the estimates large, took
    // five times longer than running it (bench:models, security_token_balances: 64 ms against 11).
    if (deps.dialect === 'postgres') await client.query('SET LOCAL jit = off');
    await client.query(deleteSql);
    if (window) {
      const insert = metric.insertStatement(deps.dialect, deps.schema, window);
      rows = (await client.query(insert.sql).catch((error: unknown) => Promise.reject(locatedSqlError(metric, insert, error)))).rowCount ?? 0;
    }
    await client.query('COMMIT');
  } catch (error) {
    failed = true;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release(failed);
    unwatch();
  }
  const ms = Math.round(performance.now() - started);
  deps.logger.info({ ...logContext, model: metric.name, rows, ms }, 'model updated');
  return { model: metric.name, ms, rows };
}

/**
 * SQL the database refuses (syntax, unknown column: class 42; bad data such as an overflow: class
 * 22) fails the same way on every attempt: it becomes a non-retryable error naming the file and
 * line. Anything else (a dropped connection, a lock timeout) stays as it is, to be retried.
 */
function locatedSqlError(metric: Metric, statement: LocatedStatement, error: unknown): unknown {
  const { code } = error as { code?: unknown };
  if (typeof code !== 'string' || !/^(42|22)/.test(code)) return error;
  return new ModelFileError(metric.path, errorLine(statement, error), `${(error as Error).message} (SQLSTATE ${code})`, '`ledgerflow metrics validate` runs it without writing anything', { cause: error });
}

/**
 * A model locks its table: self-conflicting but leaving readers alone (PostgreSQL; Redshift has
 * one lock mode). Metrics share metrics_data, so on PostgreSQL each locks only its own name and
 * they update side by side.
 */
async function lockMetric(client: { query(sql: string, values?: unknown[]): Promise<unknown> }, deps: SqlWarehouseDeps, metric: Metric): Promise<void> {
  const table = qualified(deps.schema, metric.table);
  if (deps.dialect !== 'postgres') return void (await client.query(`LOCK ${table}`));
  if (metric.table === METRICS_TABLE) return void (await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`ledgerflow-metric/${deps.schema}/${metric.name}`]));
  await client.query(`LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE`);
}

/** The window plus the block numbers inside it, so models can restrict block-keyed tables. */
export async function withBlockSpan(deps: SqlWarehouseDeps, window: TimeWindow): Promise<ModelWindow> {
  const { rows } = await deps.pool.query<{ first: string | null; last: string | null }>(
    `SELECT MIN(number) AS first, MAX(number) AS last FROM ${qualified(deps.schema, 'blocks')} WHERE "timestamp" >= $1 AND "timestamp" < $2`,
    [Math.min(window.hourFrom, window.weekFrom), Math.max(window.hourTo, window.weekTo)],
  );
  const first = rows[0]?.first;
  const last = rows[0]?.last;
  return first == null || last == null ? { ...window, blockFrom: 0, blockTo: -1 } : { ...window, blockFrom: Number(first), blockTo: Number(last) };
}
