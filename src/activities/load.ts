import { cancellationSignal } from '@temporalio/activity';
import type { DayManifest } from '../lake/types.js';
import { ManifestMismatchError } from '../warehouse/loadErrors.js';
import { classified } from './classifyError.js';
import { withKeepAlive } from './keepAlive.js';
import type { LoadDayInput, LoadDayResult, LoadTableResult } from './types.js';

export interface LoadDeps {
  /** The manifest stored at `key`, its exact bytes and their sha256. */
  readManifest(key: string, signal: AbortSignal): Promise<{ manifest: DayManifest; sha256: string; bytes: Buffer }>;
  /**
   * Stages every table of the day and checks each file against the manifest, then replaces the
   * day's rows in every table and its loaded_days row in one transaction.
   */
  loadDay(
    input: { manifest: DayManifest; manifestKey: string; manifestSha256: string; copyManifestKeys?: Record<string, string> },
    options: { signal: AbortSignal; onTableStaged: (table: LoadTableResult) => void },
  ): Promise<{ tables: LoadTableResult[] }>;
  migrate(): Promise<void>;
  keepAliveMs?: number;
}

export function createLoadActivities(deps: LoadDeps) {
  return {
    /**
     * Loads one sealed day as one unit, from the manifest bytes the seal returned: a manifest
     * that no longer hashes to them is refused, so a day is never loaded from a manifest other
     * than the one its run sealed.
     */
    async loadDay(input: LoadDayInput): Promise<LoadDayResult> {
      const staged: string[] = [];
      return classified(() =>
        withKeepAlive(
          async () => {
            const signal = cancellationSignal();
            let read = await deps.readManifest(input.manifestKey, signal);
            // One read that hashes to other bytes may have been cut short on the way: read again before refusing.
            if (read.sha256 !== input.manifestSha256) read = await deps.readManifest(input.manifestKey, signal);
            const { manifest, sha256 } = read;
            if (sha256 !== input.manifestSha256) {
              throw new ManifestMismatchError({
                check: 'sha256',
                table: 'all tables',
                key: input.manifestKey,
                date: input.date,
                expected: input.manifestSha256,
                actual: sha256,
              });
            }
            const { tables } = await deps.loadDay(
              { manifest, manifestKey: input.manifestKey, manifestSha256: sha256, ...(input.copyManifestKeys ? { copyManifestKeys: input.copyManifestKeys } : {}) },
              { signal, onTableStaged: (table) => staged.push(table.table) },
            );
            return { chainId: input.chainId, date: input.date, manifestSha256: sha256, tables };
          },
          deps.keepAliveMs,
          // Temporal Web shows which tables are staged while the load runs.
          () => ({ staged }),
        ),
      );
    },

    /** Idempotent schema setup; the demo and deployments run it before the first load. */
    async migrateWarehouse(): Promise<void> {
      return classified(() => withKeepAlive(() => deps.migrate(), deps.keepAliveMs));
    },
  };
}
