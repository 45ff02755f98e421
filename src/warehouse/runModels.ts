import { applyModels, type ModelRunResult } from './applyModels.js';
import { dayWindow } from './modelWindow.js';
import type { WarehouseDeps } from './types.js';

export type { ModelRunResult } from './applyModels.js';

/**
 * Updates every model for one UTC day, in dependency order: the day's hourly and daily buckets
 * and its week's bucket are deleted and computed again from the loaded tables; nothing else is
 * touched. Each model commits on its own, under a lock on its table, so two days of one week
 * never interleave their weekly rewrite.
 */
export async function runModels(deps: WarehouseDeps, input: { date: string }): Promise<ModelRunResult[]> {
  const window = dayWindow(input.date);
  return applyModels(deps, window, (model) => model.deleteSql(deps.dialect, deps.schema, window), { date: input.date });
}

