import type { Row, RowFormat } from './format/types.js';
import { createGzipRowEncoder, discardOutput } from './gzipRowEncoder.js';
import type { LakeSink } from './s3GzipSink.js';

/**
 * Encodes exactly as createS3GzipSink does but keeps only the digests: verification re-exports
 * a chunk through it and compares with the manifest without writing to the lake.
 */
export function createHashingGzipSink(input: { key: string; location: string; format: RowFormat; columns: readonly string[] }): LakeSink {
  const encoder = createGzipRowEncoder({ format: input.format, columns: input.columns, output: discardOutput() });
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
