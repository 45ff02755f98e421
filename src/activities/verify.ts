import { cancellationSignal } from '@temporalio/activity';
import type { DayManifest } from '../lake/types.js';
import { classified } from './classifyError.js';
import { assertIsoDate } from './isoDate.js';
import { withKeepAlive } from './keepAlive.js';
import type { DayRef, DayStatus, VerifyDayResult } from './types.js';

export interface VerifyDeps {
  /** The day's sealed manifest, or null when the day was never sealed. */
  findManifest(day: DayRef, signal: AbortSignal): Promise<{ key: string; sha256: string; manifest: DayManifest } | null>;
  /** Re-exports the manifest's chunks and compares each file's digest with the recorded one. */
  verifyDay(manifest: DayManifest, signal: AbortSignal): Promise<VerifyDayResult['mismatches']>;
  /** True when the warehouse holds the day loaded from this manifest. */
  isDayLoaded(day: DayRef & { manifestSha256: string }, signal: AbortSignal): Promise<boolean>;
  keepAliveMs?: number;
}

export function createVerifyActivities(deps: VerifyDeps) {
  return {
    async verifyDayAgainstManifest(input: DayRef): Promise<VerifyDayResult> {
      return classified(() =>
        withKeepAlive(async () => {
          assertIsoDate(input.date);
          const signal = cancellationSignal();
          const found = await deps.findManifest(input, signal);
          if (!found) {
            return {
              ...input,
              manifestKey: '',
              filesChecked: 0,
              mismatches: [{ key: '', entity: '', expectedSha256: '', actualSha256: null, reason: 'no sealed manifest for this day' }],
            };
          }
          const mismatches = await deps.verifyDay(found.manifest, signal);
          return { ...input, manifestKey: found.key, filesChecked: found.manifest.files.length, mismatches };
        }, deps.keepAliveMs),
      );
    },

    /** Whether a day is complete (sealed and loaded), so a backfill can skip it. */
    async dayStatus(input: DayRef): Promise<DayStatus> {
      return classified(async () => {
        assertIsoDate(input.date);
        const signal = cancellationSignal();
        const found = await deps.findManifest(input, signal);
        if (!found) return { ...input, sealed: false, loaded: false };
        const loaded = await deps.isDayLoaded({ ...input, manifestSha256: found.sha256 }, signal);
        return { ...input, sealed: true, loaded, manifestKey: found.key };
      });
    },
  };
}
