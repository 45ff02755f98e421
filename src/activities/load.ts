import { cancellationSignal } from '@temporalio/activity';
import type { EntityName } from '../chain/types.js';
import type { DayManifest } from '../lake/types.js';
import { classified } from './classifyError.js';
import { withKeepAlive } from './keepAlive.js';
import type { LoadTableInput, LoadTableResult } from './types.js';

export interface LoadDeps {
  readManifest(key: string, signal: AbortSignal): Promise<DayManifest>;
  /** COPY into staging, check the count against the manifest, swap the day's range in one transaction. */
  loadTable(input: { manifest: DayManifest; table: EntityName }, signal: AbortSignal): Promise<{ rows: number }>;
  migrate(): Promise<void>;
  keepAliveMs?: number;
}

export function createLoadActivities(deps: LoadDeps) {
  return {
    async loadTable(input: LoadTableInput): Promise<LoadTableResult> {
      return classified(() =>
        withKeepAlive(async () => {
          const signal = cancellationSignal();
          const manifest = await deps.readManifest(input.manifestKey, signal);
          const { rows } = await deps.loadTable({ manifest, table: input.table }, signal);
          return { table: input.table, rows };
        }, deps.keepAliveMs),
      );
    },

    /** Idempotent schema setup; the demo and deployments run it before the first load. */
    async migrateWarehouse(): Promise<void> {
      return classified(() => withKeepAlive(() => deps.migrate(), deps.keepAliveMs));
    },
  };
}
