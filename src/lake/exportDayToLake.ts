import pLimit from 'p-limit';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import type { BlockRange, EntityName } from '../chain/types.js';
import type { ChunkExportResult } from './types.js';
import { exportChunkToLake } from './exportChunkToLake.js';
import type { LakeExportDeps } from './lakeDeps.js';
import type { ManifestSigner } from './manifestSignature.js';
import { planChunks } from './planChunks.js';
import { findDayManifest } from './readDayManifest.js';
import { sealDay, type SealDayResult } from './sealDay.js';

export interface ExportDayInput {
  chainId: number;
  date: string;
  range: BlockRange;
  entities: readonly EntityName[];
  chunkSize: number;
  exporterVersion: string;
  nodeClientVersion: string;
  /**
   * Export and seal again even when the day is already sealed. The seal is then a no-op when the
   * bytes come out the same, and refused when they differ, unless `supersede` is given.
   */
  force?: boolean;
  /** Export again and, when the bytes differ, seal a new version superseding the sealed one (implies force). */
  supersede?: { reason: string };
  /** Seal without a signing key on purpose. */
  unsigned?: boolean;
}

export type ExportDayResult = (SealDayResult & { skipped: false }) | { skipped: true; manifestKey: string; manifestSha256: string };

export type ExportDayDeps = LakeExportDeps & { signer?: ManifestSigner };

/**
 * Exports a whole day outside Temporal (CLI, tests, benchmarks): plan chunks, export them with
 * bounded concurrency, seal. A day already sealed is skipped unless `force`: the manifest is the
 * record that every object of the day is complete.
 */
export async function exportDayToLake(
  deps: ExportDayDeps,
  input: ExportDayInput,
  options: { concurrency?: number; signal?: AbortSignal; onChunk?: (done: number, total: number) => void } = {},
): Promise<ExportDayResult> {
  const day = { chainId: input.chainId, date: input.date };
  if (!deps.signer && !input.unsigned) {
    throw new ConfigurationError(`Refusing to export day ${input.date}: there is no signing key to seal it with`, {
      context: { chain_id: input.chainId, date: input.date },
      fix: 'set LEDGERFLOW_SIGNING_KEY, or seal unsigned on purpose with --unsigned / LEDGERFLOW_SEAL_UNSIGNED=true',
    });
  }
  const stored = await findDayManifest(deps, day);
  if (stored && !input.force && !input.supersede) return { skipped: true, manifestKey: stored.key, manifestSha256: stored.sha256 };
  // Superseding exports beside the sealed objects (keys of the next version): the sealed version
  // stays verifiable, and a refused or abandoned supersede leaves it untouched.
  const objectVersion = input.supersede && stored ? stored.version + 1 : undefined;
  const chunks = planChunks(input.chainId, input.date, input.range, input.chunkSize).map((chunk) => (objectVersion ? { ...chunk, objectVersion } : chunk));
  const limit = pLimit(options.concurrency ?? 2);
  // The first failure stops the rest: queued chunks fail at once and running ones are aborted
  // (their uploads cancelled), and only then is the error rethrown.
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let done = 0;
  const settled = await Promise.allSettled(
    chunks.map((chunk) =>
      limit(async () => {
        stop.signal.throwIfAborted();
        try {
          const result = await exportChunkToLake(deps, { chunk, entities: input.entities }, { signal: stop.signal });
          options.onChunk?.(++done, chunks.length);
          return result;
        } catch (error) {
          stop.abort(error);
          throw error;
        }
      }),
    ),
  );
  options.signal?.removeEventListener('abort', onOuterAbort);
  const failed = settled.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed) throw stop.signal.aborted && stop.signal.reason !== undefined ? stop.signal.reason : failed.reason;
  const results = settled.map((outcome) => (outcome as PromiseFulfilledResult<ChunkExportResult>).value);
  const sealed = await sealDay(
    deps,
    {
      ...day,
      range: input.range,
      entities: input.entities,
      chunks: results,
      exporterVersion: input.exporterVersion,
      nodeClientVersion: input.nodeClientVersion,
    },
    { ...(input.supersede ? { supersede: input.supersede } : {}), ...(input.unsigned ? { unsigned: true } : {}) },
  );
  return { ...sealed, skipped: false };
}
