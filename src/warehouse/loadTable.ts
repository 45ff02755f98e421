import type { DayManifest } from '../lake/types.js';
import { loadDay, type LoadTableResult } from './loadDay.js';
import type { WarehouseTableName } from './tables.js';
import type { WarehouseDeps } from './types.js';

export interface LoadTableInput {
  manifest: DayManifest;
  table: WarehouseTableName;
}

/** Loads one table of one sealed day with the guarantees of `loadDay`. */
export async function loadTable(deps: WarehouseDeps, input: LoadTableInput): Promise<LoadTableResult> {
  const result = await loadDay(deps, { manifest: input.manifest, tables: [input.table] });
  const loaded = result.tables[0];
  if (!loaded) throw new Error(`loadDay returned no result for table ${input.table}`);
  return loaded;
}
