import type { DayManifest } from '../lake/types.js';
import { col } from '../warehouse/columnType.js';
import { qualified } from '../warehouse/sqlIdentifier.js';
import { TABLE_DEFS, WAREHOUSE_TABLES, type WarehouseTableName } from '../warehouse/tables.js';
import type { WarehouseDeps } from '../warehouse/types.js';

/**
 * Whether the warehouse holds exactly the manifest's rows for the day: every loadable table has,
 * inside the day's block range, as many rows as the manifest's files. A load replaces the range
 * in one transaction, so equal counts mean the last load of this manifest committed.
 */
export async function dayLoaded(deps: Pick<WarehouseDeps, 'pool' | 'schema'>, manifest: DayManifest): Promise<boolean> {
  for (const entity of manifest.entities) {
    if (!(WAREHOUSE_TABLES as readonly string[]).includes(entity)) continue;
    const def = TABLE_DEFS[entity as WarehouseTableName];
    const expected = manifest.files.filter((f) => f.entity === entity).reduce((sum, f) => sum + f.rows, 0);
    try {
      const { rows } = await deps.pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${qualified(deps.schema, def.name)} WHERE ${col(def.blockColumn)} BETWEEN $1 AND $2`,
        [manifest.range.start, manifest.range.end],
      );
      if (Number(rows[0]?.n ?? -1) !== expected) return false;
    } catch (error) {
      // An unmigrated warehouse has no tables yet: nothing is loaded.
      if ((error as { code?: string }).code === '42P01') return false;
      throw error;
    }
  }
  return true;
}
