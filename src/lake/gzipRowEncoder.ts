import { createHash } from 'node:crypto';
import { PassThrough, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Row, RowFormat } from './format/types.js';
import { createDeterministicGzip, pinGzipHeader } from './deterministicGzip.js';
import { drained } from './drained.js';

/** What an encoder produced: digests of the gzip object and of the text inside it. */
export interface EncodedObject {
  rows: number;
  /** Size of the gzip object. */
  bytes: number;
  /** sha256 of the gzip object, lower-case hex. */
  sha256: string;
  /** sha256 of the uncompressed text: independent of the zlib build that compressed it. */
  contentSha256: string;
}

export interface GzipRowEncoder {
  /** Accepts a row; returns a promise only when the consumer is behind, so memory stays bounded. */
  write(row: Row): void | Promise<void>;
  /** Ends the stream and waits until `output` has received every byte. */
  end(): Promise<EncodedObject>;
  /** Stops encoding; `end` and `write` fail afterwards. */
  destroy(reason: unknown): void;
}

// zlib does a round trip through the thread pool per write: hand it text in batches of this
// size rather than one row at a time (the batching does not change the compressed bytes).
const BATCH_CHARS = 64 * 1024;

/**
 * Rows -> format text -> deterministic gzip -> `output`, hashing both the text and the gzip
 * bytes on the way. The header line (CSV) is written even when no row follows, so every entity
 * of every chunk has a well-formed object.
 */
export function createGzipRowEncoder(input: { format: RowFormat; columns: readonly string[]; output: Writable }): GzipRowEncoder {
  const { format, columns } = input;
  const contentHash = createHash('sha256');
  const objectHash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  let failure: unknown;
  let batch: string[] = [];
  let batchChars = 0;

  const gzip = createDeterministicGzip();
  const tap = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      objectHash.update(chunk);
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const done = pipeline(gzip, pinGzipHeader(), tap, input.output);
  done.catch((error: unknown) => {
    failure ??= error;
  });

  const flush = (): void | Promise<void> => {
    if (batchChars === 0) return;
    // Encoded once here: hashing the string and then writing it would make zlib's stream encode
    // the same text to UTF-8 a second time.
    const bytes = Buffer.from(batch.join(''), 'utf8');
    batch = [];
    batchChars = 0;
    contentHash.update(bytes);
    if (!gzip.write(bytes)) return drained(gzip);
  };

  const add = (text: string): void | Promise<void> => {
    if (failure !== undefined) throw failure;
    batch.push(text);
    batchChars += text.length;
    if (batchChars >= BATCH_CHARS) return flush();
  };

  void add(format.header(columns));

  return {
    write(row) {
      const pending = add(format.row(columns, row));
      rows += 1;
      return pending;
    },
    async end() {
      if (failure !== undefined) throw failure;
      await flush();
      if (failure !== undefined) throw failure;
      gzip.end();
      await done;
      return { rows, bytes, sha256: objectHash.digest('hex'), contentSha256: contentHash.digest('hex') };
    },
    destroy(reason) {
      failure ??= reason ?? new Error('encoder destroyed');
      gzip.destroy(failure instanceof Error ? failure : new Error(String(failure)));
    },
  };
}

/** A sink for encoders whose bytes are only hashed, never stored. */
export function discardOutput(): Writable {
  const sink = new PassThrough();
  sink.resume();
  return sink;
}
