import { cancellationSignal } from '@temporalio/activity';
import type { DayManifest } from '../lake/types.js';
import { classified } from './classifyError.js';
import { assertIsoDate } from './isoDate.js';
import { withKeepAlive } from './keepAlive.js';
import type { DayRef, DayStatus, LayerReport, VerifyDayResult, VerifyLayer, VerifyLayerInput } from './types.js';

/** The manifest every layer checks: its key, exact bytes and their sha256, as read once per layer. */
export interface PinnedManifest {
  key: string;
  sha256: string;
  bytes: Buffer;
  manifest: DayManifest;
}

/** A layer's verdict before the activity names the layer. */
export type LayerCheck = Omit<LayerReport, 'layer'>;

export interface VerifyDeps {
  /** The day's latest sealed manifest, or null when the day was never sealed. */
  findManifest(day: DayRef, signal: AbortSignal): Promise<{ key: string; sha256: string; manifest: DayManifest } | null>;
  /** The manifest stored at `key`, its exact bytes and their sha256. */
  readManifest(key: string, signal: AbortSignal): Promise<{ manifest: DayManifest; sha256: string; bytes: Buffer }>;
  /** Re-exports the manifest's chunks and compares each file's digest with the recorded one. */
  verifyDay(manifest: DayManifest, signal: AbortSignal): Promise<VerifyDayResult['mismatches']>;
  /** Reads and hashes every stored object the manifest lists, and checks the manifest's signature. */
  verifyLake(found: PinnedManifest, signal: AbortSignal): Promise<LayerCheck>;
  /** Counts the day's rows per table and compares loaded_days.manifest_sha256 with the manifest's. */
  verifyWarehouse(found: PinnedManifest, signal: AbortSignal): Promise<LayerCheck>;
  /** True when the warehouse holds the day loaded from this manifest (same sha256). */
  isDayLoaded(day: DayRef & { manifestSha256: string }, signal: AbortSignal): Promise<boolean>;
  keepAliveMs?: number;
}

export function createVerifyActivities(deps: VerifyDeps) {
  /**
   * Every layer checks the manifest bytes the verification started from: a manifest replaced in
   * the meantime is itself the first mismatch.
   */
  async function pinned(input: VerifyLayerInput, layer: VerifyLayer, check: (found: PinnedManifest, signal: AbortSignal) => Promise<LayerCheck>): Promise<LayerReport> {
    assertIsoDate(input.date);
    const signal = cancellationSignal();
    const { manifest, sha256, bytes } = await deps.readManifest(input.manifestKey, signal);
    if (sha256 !== input.manifestSha256) {
      return {
        layer,
        checked: 1,
        mismatches: [`manifest mismatch: ${input.manifestKey} hashes to ${sha256}, the verification started from ${input.manifestSha256}`],
        note: 'the manifest changed while it was verified',
      };
    }
    return { layer, ...(await check({ key: input.manifestKey, sha256, bytes, manifest }, signal)) };
  }

  return {
    /** Layer (a): the stored lake objects and the manifest's signature. */
    async verifyLakeLayer(input: VerifyLayerInput): Promise<LayerReport> {
      return classified(() => withKeepAlive(() => pinned(input, 'lake', (found, signal) => deps.verifyLake(found, signal)), deps.keepAliveMs));
    },

    /** Layer (b): the chain, re-exported from the node and compared file by file. */
    async verifyChainLayer(input: VerifyLayerInput): Promise<LayerReport> {
      return classified(() =>
        withKeepAlive(
          () =>
            pinned(input, 'chain', async (found, signal) => {
              const mismatches = await deps.verifyDay(found.manifest, signal);
              return {
                checked: found.manifest.files.length,
                mismatches: mismatches.map((m) => `chain mismatch: ${m.key}: ${m.reason} (manifest ${m.expectedSha256}, re-export ${m.actualSha256 ?? 'none'})`),
                note: `re-exported blocks ${found.manifest.range.start}-${found.manifest.range.end} from the node`,
              };
            }),
          deps.keepAliveMs,
        ),
      );
    },

    /** Layer (c): the warehouse rows and the manifest they were loaded from. */
    async verifyWarehouseLayer(input: VerifyLayerInput): Promise<LayerReport> {
      return classified(() => withKeepAlive(() => pinned(input, 'warehouse', (found, signal) => deps.verifyWarehouse(found, signal)), deps.keepAliveMs));
    },

    /** The chain layer as runs recorded before the three layers called it. */
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

    /**
     * Whether a day is complete (sealed, and loaded from that very manifest), so a backfill can
     * skip it. A day loaded from an older manifest with the same row counts is not complete.
     */
    async dayStatus(input: DayRef): Promise<DayStatus> {
      return classified(async () => {
        assertIsoDate(input.date);
        const signal = cancellationSignal();
        const found = await deps.findManifest(input, signal);
        if (!found) return { ...input, sealed: false, loaded: false };
        const loaded = await deps.isDayLoaded({ ...input, manifestSha256: found.sha256 }, signal);
        return { ...input, sealed: true, loaded, manifestKey: found.key, manifestSha256: found.sha256 };
      });
    },
  };
}
