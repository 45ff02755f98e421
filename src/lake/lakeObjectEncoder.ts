import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { EntityName } from '../chain/entities/registry.js';
import { schemaOf } from '../chain/entities/registry.js';
import { FORMATS } from './format/formatByName.js';
import { ParquetEncoder } from './format/parquetEncoder.js';
import type { FileFormatName, Row } from './format/types.js';
import { drained } from './drained.js';
import { createGzipRowEncoder, type EncodedObject, type GzipRowEncoder } from './gzipRowEncoder.js';

/** Rows in, one lake object's bytes out to `output`, with the digests the manifest records. */
export type LakeObjectEncoder = GzipRowEncoder;

/** The MIME type each object format is stored with. */
export const CONTENT_TYPES: Readonly<Record<FileFormatName, string>> = {
  csv: 'application/gzip',
  json: 'application/gzip',
  parquet: 'application/vnd.apache.parquet',
};

/**
 * The encoder of a lake object in `format`: line formats are gzipped text (deterministicGzip),
 * Parquet compresses inside its pages and is stored as the writer emits it.
 */
export function createLakeObjectEncoder(input: { format: FileFormatName; entity: EntityName; columns: readonly string[]; output: Writable }): LakeObjectEncoder {
  if (input.format === 'parquet') return createParquetObjectEncoder(input.entity, input.output);
  return createGzipRowEncoder({ format: FORMATS[input.format], columns: input.columns, output: input.output });
}

/**
 * Parquet row groups to `output` as each completes, so memory holds one row group. The object has
 * no wrapper to look inside, so its content digest is its own sha256: the snappy pages come from
 * the writer's own code, not the platform's zlib, and cannot differ by machine.
 */
function createParquetObjectEncoder(entity: EntityName, output: Writable): LakeObjectEncoder {
  const encoder = new ParquetEncoder(entity, schemaOf(entity));
  const hash = createHash('sha256');
  let bytes = 0;
  let failure: unknown;
  output.on('error', (error) => {
    failure ??= error;
  });

  const put = (chunk: Uint8Array): void | Promise<void> => {
    if (failure !== undefined) throw failure;
    if (chunk.length === 0) return;
    hash.update(chunk);
    bytes += chunk.length;
    if (!output.write(chunk)) return drained(output);
  };

  return {
    write(row: Row) {
      if (failure !== undefined) throw failure;
      const group = encoder.push(row);
      if (group) return put(group);
    },
    async end(): Promise<EncodedObject> {
      await put(encoder.finish());
      output.end();
      await finished(output, { readable: false });
      if (failure !== undefined) throw failure;
      const sha256 = hash.digest('hex');
      return { rows: encoder.rows, bytes, sha256, contentSha256: sha256 };
    },
    destroy(reason) {
      failure ??= reason ?? new Error('encoder destroyed');
      output.destroy(failure instanceof Error ? failure : new Error(String(failure)));
    },
  };
}
