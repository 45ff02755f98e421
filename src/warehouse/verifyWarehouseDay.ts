import type { DayManifest } from '../lake/types.js';
import { col } from './columnType.js';
import { loadedDayRecord } from './loadedDayRecord.js';
import { qualified } from './sqlIdentifier.js';
import { isWarehouseTable, TABLE_DEFS, type WarehouseTableName } from './tables.js';
import type { WarehouseDeps } from './types.js';

export interface WarehouseDayCheck {
  tables: Array<{ table: WarehouseTableName; expectedRows: number; actualRows: number }>;
  loadedManifestSha256: string | null;
  /** One line per problem, each containing `mismatch` and the table (or loaded_days). */
  mismatches: string[];
}

/**
 * The warehouse layer of a day's verification: every table holds, in the day's block range,
 * exactly the manifest's rows, and loaded_days says the day was loaded from this very manifest.
 */
export async function verifyWarehouseDay(
  deps: Pick<WarehouseDeps, 'pool' | 'schema'>,
  input: { manifest: DayManifest; manifestSha256: string },
): Promise<WarehouseDayCheck> {
  const { manifest } = input;
  const mismatches: string[] = [];
  const record = await loadedDayRecord(deps, manifest);
  if (!record) mismatches.push(`loaded_days mismatch: day ${manifest.date} of chain ${manifest.chainId} was never loaded`);
  else if (record.manifestSha256 !== input.manifestSha256) {
    mismatches.push(`loaded_days mismatch: day ${manifest.date} was loaded from manifest ${record.manifestSha256 ?? '(not recorded)'}, the sealed manifest is ${input.manifestSha256}`);
  }
  const tables: WarehouseDayCheck['tables'] = [];
  for (const table of manifest.entities.filter(isWarehouseTable)) {
    const def = TABLE_DEFS[table];
    const expectedRows = manifest.files.filter((f) => f.entity === table).reduce((sum, f) => sum + f.rows, 0);
    let actualRows = 0;
    try {
      const { rows } = await deps.pool.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM ${qualified(deps.schema, def.name)} WHERE ${col(def.blockColumn)} BETWEEN $1 AND $2`,
        [manifest.range.start, manifest.range.end],
      );
      actualRows = Number(rows[0]?.n ?? 0);
    } catch (error) {
      if ((error as { code?: string }).code !== '42P01') throw error;
    }
    tables.push({ table, expectedRows, actualRows });
    if (actualRows !== expectedRows) mismatches.push(`${table} mismatch: ${actualRows} rows in blocks ${manifest.range.start}-${manifest.range.end}, manifest ${expectedRows}`);
  }
  return { tables, loadedManifestSha256: record?.manifestSha256 ?? null, mismatches };
}
