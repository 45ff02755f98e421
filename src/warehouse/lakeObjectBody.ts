import type { Readable } from 'node:stream';
import { GetObjectCommand, NoSuchKey } from '@aws-sdk/client-s3';
import type { CopyLakeFileInput } from './copyLakeFile.js';
import { ManifestMismatchError } from './loadErrors.js';

/** What every lake object's COPY shares: reading its body, and checking the columns it names. */
export async function lakeObjectBody(input: CopyLakeFileInput): Promise<Readable> {
  try {
    const response = await input.s3.send(new GetObjectCommand({ Bucket: input.bucket, Key: input.key }));
    return response.Body as Readable;
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
      throw new ManifestMismatchError({
        check: 'missing',
        table: input.table,
        key: input.key,
        date: input.date,
        expected: `object in bucket ${input.bucket}`,
        actual: 'no such key',
        cause: error,
      });
    }
    throw error;
  }
}

/** The columns a file names, checked against the table's: distinct, and every one known. */
export function copyColumns(names: readonly string[], input: CopyLakeFileInput): readonly string[] {
  const unknown = names.filter((name) => !input.columns.includes(name));
  if (unknown.length || new Set(names).size !== names.length) {
    throw new ManifestMismatchError({
      check: 'columns',
      table: input.table,
      key: input.key,
      date: input.date,
      expected: `distinct columns of ${input.table}`,
      actual: unknown.length ? `unknown column(s) ${unknown.join(',')}` : `duplicated column in ${names.join(',')}`,
    });
  }
  return names;
}

/** PostgreSQL class 22 (data exception): a value in the file does not fit its column. */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}

