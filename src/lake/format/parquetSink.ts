import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { drained } from '../drained.js';
import { schemaOf, type EntityName } from '../../chain/entities/registry.js';
import type { Row, RowSink, SinkResult } from '../../chain/rows.js';
import { ParquetEncoder, type ParquetEncoderOptions } from './parquetEncoder.js';

export interface ParquetFileSink extends RowSink {
  /** Bytes handed to the file so far: every finished row group (the benchmark's streaming check). */
  bytesWritten(): number;
}

/**
 * A RowSink writing one entity's rows to a local Parquet file. Each row group goes to disk as
 * soon as it is complete, so memory holds one row group, never the file. As with the CSV file
 * sink, the bytes go to a hidden temporary name beside the target and appear under the final
 * name only on close; abort leaves nothing.
 */
export function createParquetFileSink(filePath: string, entity: EntityName, options: ParquetEncoderOptions = {}): ParquetFileSink {
  const encoder = new ParquetEncoder(entity, schemaOf(entity), options);
  const tempPath = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const stream: WriteStream = createWriteStream(tempPath, { flags: 'wx' });
  const hash = createHash('sha256');
  let bytes = 0;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  let streamError: unknown;
  stream.on('error', (error) => {
    streamError = error;
  });

  const put = (chunk: Uint8Array): Promise<void> | void => {
    if (streamError) throw streamError;
    if (chunk.length === 0) return;
    hash.update(chunk);
    bytes += chunk.length;
    if (!stream.write(chunk)) return drained(stream);
  };

  return {
    write(row: Row) {
      if (state !== 'open') throw new Error(`write after ${state} on ${filePath}`);
      const group = encoder.push(row);
      if (group) return put(group);
    },
    bytesWritten: () => bytes,
    async close(): Promise<SinkResult> {
      if (state !== 'open') throw new Error(`close after ${state} on ${filePath}`);
      state = 'closed';
      try {
        await put(encoder.finish());
      } catch (error) {
        stream.destroy();
        await rm(tempPath, { force: true });
        throw error;
      }
      stream.end();
      await once(stream, 'close');
      if (streamError) {
        await rm(tempPath, { force: true });
        throw streamError;
      }
      await rename(tempPath, filePath);
      return { rows: encoder.rows, bytes, sha256: hash.digest('hex'), location: filePath };
    },
    async abort() {
      if (state === 'aborted') return;
      const wasOpen = state === 'open';
      state = 'aborted';
      if (wasOpen) {
        stream.destroy();
        if (!stream.closed) await once(stream, 'close').catch(() => undefined);
      }
      await rm(tempPath, { force: true });
      // A sink aborted after close has already published; abort means "leave nothing".
      if (!wasOpen) await rm(filePath, { force: true });
    },
  };
}
