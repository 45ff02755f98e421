import type { BlockRange } from '../chain/types.js';
import { loadedDaysTable } from './migrations.js';
import type { WarehouseDeps } from './types.js';

export interface LoadedDayRecord {
  /** sha256 of the manifest bytes the day was loaded from; null for days loaded before it was recorded. */
  manifestSha256: string | null;
  manifestKey: string | null;
  range: BlockRange;
}

/**
 * What the warehouse says it holds for a day: the loaded_days row its last load committed with
 * the day's tables. Undefined when the day was never loaded or the warehouse is not migrated yet.
 * "Already loaded" means this manifestSha256 equals the sealed manifest's.
 */
export async function loadedDayRecord(deps: Pick<WarehouseDeps, 'pool' | 'schema'>, day: { chainId: number; date: string }): Promise<LoadedDayRecord | undefined> {
  try {
    const { rows } = await deps.pool.query<{ manifest_sha256: string | null; manifest_key: string | null; start_block: string; end_block: string }>(
      `SELECT manifest_sha256, manifest_key, start_block, end_block FROM ${loadedDaysTable(deps.schema)} WHERE chain_id = $1 AND day = $2`,
      [day.chainId, day.date],
    );
    const row = rows[0];
    if (!row) return undefined;
    return { manifestSha256: row.manifest_sha256, manifestKey: row.manifest_key, range: { start: Number(row.start_block), end: Number(row.end_block) } };
  } catch (error) {
    // 42P01: no loaded_days table; 42703: no manifest columns yet (migration 6 not applied).
    const code = (error as { code?: string }).code;
    if (code === '42P01' || code === '42703') return undefined;
    throw error;
  }
}
