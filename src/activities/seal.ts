import { cancellationSignal } from '@temporalio/activity';
import type { EntityName } from '../chain/types.js';
import type { DayManifest } from '../lake/types.js';
import { HEARTBEAT_INTERVAL_MS } from '../heartbeatTiming.js';
import { classified } from './classifyError.js';
import { assertIsoDate } from './isoDate.js';
import { withKeepAlive } from './keepAlive.js';
import type { DayRef, SealDayInput, SealDayResult } from './types.js';

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
  /** The day's latest sealed manifest, or null when the day was never sealed. */
  findManifest(day: DayRef, signal: AbortSignal): Promise<{ key: string; sha256: string; manifest: DayManifest } | null>;
  /** How often awaitDaySealed looks at the lake; 5 s unless a test sets it. */
  sealPollMs?: number;
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

    /** Returns once the day has a sealed manifest; a backfill's days seal in chain order through it. */
    async awaitDaySealed(input: DayRef): Promise<{ manifestKey: string; manifestSha256: string }> {
      return classified(() =>
        withKeepAlive(async () => {
          assertIsoDate(input.date);
          const signal = cancellationSignal();
          for (;;) {
            const found = await deps.findManifest(input, signal);
            if (found) return { manifestKey: found.key, manifestSha256: found.sha256 };
            await sleep(deps.sealPollMs ?? HEARTBEAT_INTERVAL_MS, signal);
          }
        }, deps.keepAliveMs),
      );
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason instanceof Error ? signal.reason : new Error('cancelled'));
      },
      { once: true },
    );
  });
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
