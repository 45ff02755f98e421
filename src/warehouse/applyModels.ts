import { modelCatalog } from './modelCatalog.js';
import type { Model, ModelWindow, TimeWindow } from './parseModel.js';
import { qualified } from './sqlIdentifier.js';
import type { WarehouseDeps } from './types.js';
import { watchConnectionErrors } from './watchConnectionErrors.js';

export interface ModelRunResult {
  model: string;
  ms: number;
  rows: number;
}

/** Runs every model in dependency order: per model one transaction deleting its buckets and inserting them again. */
export async function applyModels(
  deps: WarehouseDeps,
  timeWindow: TimeWindow | undefined,
  deleteSql: (model: Model, window: ModelWindow | undefined) => string,
  logContext: Record<string, unknown>,
): Promise<ModelRunResult[]> {
  const results: ModelRunResult[] = [];
  const window = timeWindow && (await withBlockSpan(deps, timeWindow));
  for (const model of await modelCatalog()) {
    const started = performance.now();
    const client = await deps.pool.connect();
    const unwatch = watchConnectionErrors(client, deps.logger, { ...logContext, model: model.name });
    let rows = 0;
    let failed = false;
    try {
      await client.query('BEGIN');
      const table = qualified(deps.schema, model.table);
      // Self-conflicting but leaves readers alone (PostgreSQL); Redshift has one lock mode.
      await client.query(deps.dialect === 'postgres' ? `LOCK TABLE ${table} IN SHARE ROW EXCLUSIVE MODE` : `LOCK ${table}`);
      // A day's update takes milliseconds; compiling the exact-amount arithmetic (limbSql.ts) to
      // machine code, which PostgreSQL starts doing once history makes the estimates large, took
      // five times longer than running it (bench:models, security_token_balances: 64 ms against 11).
      if (deps.dialect === 'postgres') await client.query('SET LOCAL jit = off');
      await client.query(deleteSql(model, window));
      if (window) rows = (await client.query(model.insertSql(deps.dialect, deps.schema, window))).rowCount ?? 0;
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
    results.push({ model: model.name, ms, rows });
    deps.logger.info({ ...logContext, model: model.name, rows, ms }, 'model updated');
  }
  return results;
}

async function withBlockSpan(deps: WarehouseDeps, window: TimeWindow): Promise<ModelWindow> {
  const { rows } = await deps.pool.query<{ first: string | null; last: string | null }>(
    `SELECT MIN(number) AS first, MAX(number) AS last FROM ${qualified(deps.schema, 'blocks')} WHERE "timestamp" >= $1 AND "timestamp" < $2`,
    [Math.min(window.hourFrom, window.weekFrom), Math.max(window.hourTo, window.weekTo)],
  );
  const first = rows[0]?.first;
  const last = rows[0]?.last;
  return first == null || last == null ? { ...window, blockFrom: 0, blockTo: -1 } : { ...window, blockFrom: Number(first), blockTo: Number(last) };
}
