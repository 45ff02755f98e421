import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { EntityName } from '../chain/entities/registry.js';
import { LAKE_FORMAT_NAMES } from '../lake/format/types.js';
import { formatOfKey, objectSuffix } from '../lake/objectKey.js';
import { col } from './columnType.js';
import { copyParquetLakeFile } from './copyParquetLakeFile.js';
import { copyColumns, isDataError, lakeObjectBody } from './lakeObjectBody.js';
import { ManifestMismatchError } from './loadErrors.js';

export interface CopyLakeFileInput {
  s3: S3Client;
  client: ClientBase;
  bucket: string;
  key: string;
  /** The entity the object holds: a Parquet object's columns decode by its encodings. */
  entity: EntityName;
  /** The manifest's digest of the object: a Parquet object is checked against it before it is decoded. */
  expected?: { sha256: string; bytes: number };
  /** Schema-qualified staging table. */
  target: string;
  table: string;
  date: string;
  /** Column names the table accepts; the file's header must name a subset of them. */
  columns: readonly string[];
  /** COPY ... FREEZE: only for a table created or truncated in the COPY's own transaction. */
  freeze?: boolean;
}

export interface CopyLakeFileResult {
  rows: number;
  bytes: number;
  sha256: string;
}

/**
 * Loads one lake object into PostgreSQL by the format its key names: gzip CSV streams straight
 * into COPY, Parquet is decoded into the same COPY text (copyParquetLakeFile).
 */
export async function copyLakeFile(input: CopyLakeFileInput): Promise<CopyLakeFileResult> {
  const format = formatOfKey(input.key);
  if (format === 'csv') return copyCsvLakeFile(input);
  if (format === 'parquet') return copyParquetLakeFile(input);
  throw new ManifestMismatchError({
    check: 'format',
    table: input.table,
    key: input.key,
    date: input.date,
    expected: `a ${LAKE_FORMAT_NAMES.map((name) => objectSuffix(name)).join(' or ')} object`,
    actual: input.key,
  });
}

/**
 * Streams one gzip CSV lake object into PostgreSQL: S3 body -> sha256 tap -> gunzip -> COPY FROM
 * STDIN. Nothing is buffered beyond a chunk. The header line names the columns, so COPY takes
 * them by name and a file with columns in another order, or fewer of them, still lands right.
 * The digest covers the stored (compressed) bytes, as the manifest does.
 */
async function copyCsvLakeFile(input: CopyLakeFileInput): Promise<CopyLakeFileResult> {
  const body = await lakeObjectBody(input);
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // 64 KiB out per chunk (default 16): a quarter of the CopyData messages and stream hops per file.
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const upstream = pipeline(body, tap, gunzip);
  // A failure upstream also surfaces through the iterator below; keep the promise observed.
  upstream.catch(() => undefined);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;

  let rows = 0;
  try {
    const { header, rest } = await readHeader(chunks);
    if (header !== undefined) {
      const columns = copyColumns(header.split(','), input);
      const copy = input.client.query(
        copyFrom(`COPY ${input.target} (${columns.map(col).join(', ')}) FROM STDIN WITH (FORMAT csv${input.freeze ? ', FREEZE' : ''})`),
      );
      await pipeline(remaining(rest, chunks), copy);
      rows = copy.rowCount;
    }
    await upstream;
  } catch (error) {
    body.destroy();
    gunzip.destroy();
    if (isGzipError(error) || isDataError(error)) {
      throw new ManifestMismatchError({
        check: 'format',
        table: input.table,
        key: input.key,
        date: input.date,
        expected: 'gzip CSV with valid values',
        actual: (error as Error).message,
        cause: error,
      });
    }
    throw error;
  }
  return { rows, bytes, sha256: hash.digest('hex') };
}

async function readHeader(chunks: AsyncIterator<Buffer>): Promise<{ header?: string; rest: Buffer }> {
  let buffered = Buffer.alloc(0);
  for (;;) {
    const next = await chunks.next();
    if (next.done) {
      // ethereum-etl writes a 0-byte file for zero rows; a lone header without LF is also empty.
      const text = buffered.toString('utf8').trim();
      return text ? { header: text, rest: Buffer.alloc(0) } : { rest: Buffer.alloc(0) };
    }
    buffered = Buffer.concat([buffered, next.value]);
    const newline = buffered.indexOf(0x0a);
    if (newline >= 0) {
      return { header: buffered.subarray(0, newline).toString('utf8').replace(/\r$/, ''), rest: buffered.subarray(newline + 1) };
    }
  }
}

async function* remaining(rest: Buffer, chunks: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  if (rest.length) yield rest;
  for (;;) {
    const next = await chunks.next();
    if (next.done) return;
    yield next.value;
  }
}

function isGzipError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR';
}
