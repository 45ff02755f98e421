import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { drained } from './drained.js';
import type { Row, RowFormat, RowSink, SinkResult } from './format/types.js';

/**
 * A RowSink writing one local file. Rows go to a hidden temporary name beside the target and the
 * file appears under its final name only on close (rename is atomic on one filesystem), so a
 * crash or an abort never leaves a partial file where a reader would take it for complete.
 * The header is written up front: an entity without rows still gets a header-only CSV.
 */
export function createFileSink(filePath: string, format: RowFormat, columns: readonly string[]): RowSink {
  const dir = path.dirname(filePath);
  const tempPath = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const stream: WriteStream = createWriteStream(tempPath, { flags: 'wx', highWaterMark: STREAM_BUFFER_BYTES });
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  let state: 'open' | 'closed' | 'aborted' = 'open';
  let streamError: unknown;
  stream.on('error', (error) => {
    streamError = error;
  });

  // Rows are small; writing each one costs a syscall-sized writev entry. Gather about 64 KiB
  // of text and hand the stream one buffer.
  let pending = '';
  const flush = (): Promise<void> | void => {
    if (pending.length === 0) return;
    const buffer = Buffer.from(pending, 'utf8');
    pending = '';
    hash.update(buffer);
    bytes += buffer.length;
    if (!stream.write(buffer)) return drained(stream);
  };
  const put = (text: string): Promise<void> | void => {
    if (streamError) throw streamError;
    pending += text;
    if (pending.length >= FLUSH_AT) return flush();
  };

  // The header alone never needs to wait for the stream to drain: it is far below the buffer size.
  void put(format.header(columns));

  return {
    write(row: Row) {
      if (state !== 'open') throw new Error(`write after ${state} on ${filePath}`);
      rows++;
      return put(format.row(columns, row));
    },
    async close(): Promise<SinkResult> {
      if (state !== 'open') throw new Error(`close after ${state} on ${filePath}`);
      state = 'closed';
      await flush();
      stream.end();
      await once(stream, 'close');
      if (streamError) {
        await rm(tempPath, { force: true });
        throw streamError;
      }
      await rename(tempPath, filePath);
      return { rows, bytes, sha256: hash.digest('hex'), location: filePath };
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

const FLUSH_AT = 64 * 1024;
// Several flushes may be in flight before the writer waits: with the default 16 KiB every 64 KiB
// flush waited for its disk write, which cost as much as formatting the rows.
const STREAM_BUFFER_BYTES = 1024 * 1024;
