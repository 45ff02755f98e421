import { applyModels, type ModelRunResult } from './applyModels.js';
import { spanWindow } from './modelWindow.js';
import { qualified } from './sqlIdentifier.js';
import type { WarehouseDeps } from './types.js';

/**
 * Rebuilds every model from everything loaded: same SQL as the incremental run, over a window
 * spanning the first to the last loaded block, after emptying each model table. The result equals
 * running every loaded day incrementally in date order.
 */
export async function refreshModels(deps: WarehouseDeps): Promise<ModelRunResult[]> {
  const span = await deps.pool.query<{ first: string | null; last: string | null }>(
    `SELECT MIN("timestamp") AS first, MAX("timestamp") AS last FROM ${qualified(deps.schema, 'blocks')}`,
  );
  const first = span.rows[0]?.first;
  const last = span.rows[0]?.last;
  const window = first == null || last == null ? undefined : spanWindow(Number(first), Number(last));
  return applyModels(deps, window, (model) => `DELETE FROM ${qualified(deps.schema, model.table)}`, { refresh: true });
}

