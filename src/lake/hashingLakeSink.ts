import type { EntityName } from '../chain/entities/registry.js';
import type { FileFormatName, Row } from './format/types.js';
import { discardOutput } from './gzipRowEncoder.js';
import { createLakeObjectEncoder } from './lakeObjectEncoder.js';
import type { LakeSink } from './s3LakeSink.js';

/**
 * Encodes exactly as createS3LakeSink does but keeps only the digests: verification re-exports
 * a chunk through it and compares with the manifest without writing to the lake.
 */
export function createHashingLakeSink(input: { key: string; location: string; format: FileFormatName; entity: EntityName; columns: readonly string[] }): LakeSink {
  const encoder = createLakeObjectEncoder({ format: input.format, entity: input.entity, columns: input.columns, output: discardOutput() });
  return {
    write: (row: Row) => encoder.write(row),
    async close() {
      const encoded = await encoder.end();
      return { ...encoded, key: input.key, location: input.location };
    },
    async abort(reason?: unknown) {
      encoder.destroy(reason ?? new Error('sink aborted'));
    },
  };
}
