import type { PoolClient } from 'pg';
import { withBlockSpan } from './applyModels.js';
import { loadedDaysTable } from './migrations.js';
import type { Metric, MetricRegistry } from './metricRegistry.js';
import { dayWindow } from './modelWindow.js';
import { errorLine, type LocatedStatement } from './parseModel.js';
import type { SqlWarehouseDeps } from './types.js';

export interface MetricCheck {
  metric: string;
  file: string;
  /** Rows the insert would have written for the day; undefined when it failed. */
  rows?: number;
  /** `file:line: message` when the SQL failed. */
  error?: string;
}

/**
 * Runs every metric's statements (create, delete, insert) for one day inside a transaction that
 * is always rolled back, so the warehouse is unchanged whatever the SQL does. On PostgreSQL one
 * transaction holds them all, in dependency order, a savepoint each: a metric reads what the
 * ones before it would have written, even a user model whose table does not exist yet.
 * Redshift has no savepoints: one transaction per metric.
 */
export async function validateMetrics(deps: SqlWarehouseDeps, registry: MetricRegistry, options: { date?: string; metric?: string } = {}): Promise<{ date: string; checks: MetricCheck[] }> {
  const date = options.date ?? (await latestLoadedDay(deps)) ?? new Date().toISOString().slice(0, 10);
  const window = await withBlockSpan(deps, dayWindow(date));
  const metrics = options.metric ? registry.metrics.filter((m) => m.name === options.metric) : registry.metrics;
  const checks: MetricCheck[] = [];
  const client = await deps.pool.connect();
  let broken = false;
  try {
    const shared = deps.dialect === 'postgres';
    if (shared) await client.query('BEGIN');
    for (const metric of metrics) {
      if (!shared) await client.query('BEGIN');
      if (shared) await client.query('SAVEPOINT metric_check');
      checks.push(await check(client, metric, metric.runStatements(deps.dialect, deps.schema, window)));
      if (shared) await client.query(checks.at(-1)?.error ? 'ROLLBACK TO SAVEPOINT metric_check' : 'RELEASE SAVEPOINT metric_check');
      else await client.query('ROLLBACK');
    }
    if (shared) await client.query('ROLLBACK');
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    client.release(broken);
  }
  return { date, checks };
}

async function check(client: PoolClient, metric: Metric, statements: readonly LocatedStatement[]): Promise<MetricCheck> {
  let rows = 0;
  for (const statement of statements) {
    try {
      const result = await client.query(statement.sql);
      if (statement.section === 'insert') rows = result.rowCount ?? 0;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { metric: metric.name, file: metric.path, error: `${metric.path}:${errorLine(statement, error) ?? 1}: ${message} (in -- @${statement.section})` };
    }
  }
  return { metric: metric.name, file: metric.path, rows };
}

async function latestLoadedDay(deps: SqlWarehouseDeps): Promise<string | undefined> {
  const { rows } = await deps.pool.query<{ day: string | null }>(`SELECT CAST(MAX(day) AS VARCHAR(10)) AS day FROM ${loadedDaysTable(deps.schema)}`);
  return rows[0]?.day ?? undefined;
}
