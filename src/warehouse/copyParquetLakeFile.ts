import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { asyncBufferFromFile } from 'hyparquet';
import { from as copyFrom } from 'pg-copy-streams';
import type { Row } from '../chain/rows.js';
import { csvFormat } from '../lake/format/csvFormat.js';
import { openParquetRows, type ParquetRowReader } from '../lake/format/parquetRows.js';
import { col } from './columnType.js';
import type { CopyLakeFileInput, CopyLakeFileResult } from './copyLakeFile.js';
import { copyColumns, isDataError, lakeObjectBody } from './lakeObjectBody.js';
import { ManifestMismatchError } from './loadErrors.js';

// About as much text per CopyData message as the CSV path's gunzip hands over.
const BATCH_CHARS = 64 * 1024;

/**
 * Loads one Parquet lake object into PostgreSQL through the CSV path's COPY: the object is read
 * to a scratch file while its sha256 is taken, checked against the manifest before a byte of it
 * is decoded, then read back one row group at a time into the CSV export's text. A Parquet day
 * therefore loads exactly as its CSV twin. The scratch file goes as soon as the COPY ends.
 */
export async function copyParquetLakeFile(input: CopyLakeFileInput): Promise<CopyLakeFileResult> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'ledgerflow-load-'));
  try {
    const file = path.join(scratch, 'object.parquet');
    let stored = await download(input, file);
    // A read cut short or garbled on the way is not a replaced object: read once more before
    // concluding the stored bytes differ. Bytes the manifest does not promise are never decoded;
    // the caller's digest check refuses them.
    if (!matches(stored, input.expected)) stored = await download(input, file);
    if (!matches(stored, input.expected)) return { ...stored, rows: 0 };
    const reader = await openReader(input, file);
    const columns = copyColumns(reader.columns, input);
    const copy = input.client.query(copyFrom(`COPY ${input.target} (${columns.map(col).join(', ')}) FROM STDIN WITH (FORMAT csv${input.freeze ? ', FREEZE' : ''})`));
    try {
      await pipeline(Readable.from(csvText(input, reader, columns)), copy);
    } catch (error) {
      throw isDataError(error) ? formatMismatch(input, error) : error;
    }
    return { ...stored, rows: copy.rowCount };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function matches(stored: { bytes: number; sha256: string }, expected: CopyLakeFileInput['expected']): boolean {
  return expected === undefined || (stored.sha256 === expected.sha256.toLowerCase() && stored.bytes === expected.bytes);
}

async function download(input: CopyLakeFileInput, file: string): Promise<{ bytes: number; sha256: string }> {
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
  await pipeline(body, tap, createWriteStream(file));
  return { bytes, sha256: hash.digest('hex') };
}

async function openReader(input: CopyLakeFileInput, file: string): Promise<ParquetRowReader> {
  try {
    return await openParquetRows(await asyncBufferFromFile(file), input.entity);
  } catch (error) {
    throw formatMismatch(input, error);
  }
}

async function* csvText(input: CopyLakeFileInput, reader: ParquetRowReader, columns: readonly string[]): AsyncGenerator<Buffer> {
  let batch = '';
  const groups = reader.rowGroups();
  for (;;) {
    let next: IteratorResult<Row[]>;
    try {
      next = await groups.next();
    } catch (error) {
      throw formatMismatch(input, error);
    }
    if (next.done) break;
    for (const row of next.value) {
      batch += csvFormat.row(columns, row);
      if (batch.length >= BATCH_CHARS) {
        yield Buffer.from(batch, 'utf8');
        batch = '';
      }
    }
  }
  if (batch) yield Buffer.from(batch, 'utf8');
}

function formatMismatch(input: CopyLakeFileInput, error: unknown): ManifestMismatchError {
  return new ManifestMismatchError({
    check: 'format',
    table: input.table,
    key: input.key,
    date: input.date,
    expected: 'a Parquet object with valid values',
    actual: error instanceof Error ? error.message : String(error),
    cause: error,
  });
}
