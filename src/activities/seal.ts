import type { EntityName } from '../chain/types.js';
import type { DayManifest } from '../lake/types.js';
import { classified } from './classifyError.js';
import { withKeepAlive } from './keepAlive.js';
import type { SealDayInput, SealDayResult } from './types.js';

export interface SealDeps {
  /**
   * Checks hash continuity across chunks and with the previous day, then writes the day's signed
   * manifest: once, or as a new version when superseding.
   */
  sealDay(input: SealDayInput): Promise<{
    manifestKey: string;
    manifestSha256: string;
    manifest: DayManifest;
    outcome: NonNullable<SealDayResult['outcome']>;
    copyManifestKeys: Record<string, string>;
  }>;
  /** The entities the warehouse has tables for; all of them when absent. */
  loadableTables?(entities: readonly EntityName[]): EntityName[];
  keepAliveMs?: number;
}

export function createSealActivities(deps: SealDeps) {
  return {
    async sealDay(input: SealDayInput): Promise<SealDayResult> {
      return classified(() =>
        withKeepAlive(async () => {
          const { manifestKey, manifestSha256, manifest, outcome, copyManifestKeys } = await deps.sealDay(input);
          const summary = summarizeManifest(manifest);
          const tables = deps.loadableTables ? deps.loadableTables(summary.tables) : summary.tables;
          const previousManifestSha256 = manifest.manifestVersion === 2 ? (manifest.previous?.manifestSha256 ?? null) : null;
          return { chainId: input.chainId, date: input.date, manifestKey, manifestSha256, ...summary, tables, outcome, copyManifestKeys, previousManifestSha256 };
        }, deps.keepAliveMs),
      );
    },
  };
}

export function summarizeManifest(manifest: DayManifest): Pick<SealDayResult, 'range' | 'firstBlockHash' | 'lastBlockHash' | 'rows' | 'tables'> {
  const rows: Partial<Record<EntityName, number>> = {};
  for (const entity of manifest.entities) rows[entity] = 0;
  for (const file of manifest.files) rows[file.entity] = (rows[file.entity] ?? 0) + file.rows;
  return {
    range: manifest.range,
    firstBlockHash: manifest.firstBlockHash,
    lastBlockHash: manifest.lastBlockHash,
    rows,
    tables: [...manifest.entities],
  };
}
