import type { EntityName } from '../chain/types.js';
import type { LakeExportDeps } from './lakeDeps.js';
import { runChunkExport, type ChunkExportOptions } from './runChunkExport.js';
import { createS3LakeSink } from './s3LakeSink.js';
import type { ChunkExportResult, ChunkPlan } from './types.js';

/**
 * Exports one chunk to the lake: one deterministic object per entity (gzip CSV or Parquet), each appearing under
 * its key only when complete. Idempotent: running the chunk again writes byte-identical objects
 * under the same keys. On any failure every unfinished upload is aborted and the error rethrown.
 */
export function exportChunkToLake(
  deps: LakeExportDeps,
  input: { chunk: ChunkPlan; entities: readonly EntityName[] },
  options: ChunkExportOptions = {},
): Promise<ChunkExportResult> {
  return runChunkExport(
    deps,
    input,
    ({ entity, key, format, columns }) =>
      createS3LakeSink({
        s3: deps.s3,
        bucket: deps.lake.bucket,
        key,
        format,
        entity,
        columns,
        ...(deps.lake.partSize ? { partSize: deps.lake.partSize } : {}),
        ...(deps.lake.queueSize ? { queueSize: deps.lake.queueSize } : {}),
      }),
    options,
  );
}
