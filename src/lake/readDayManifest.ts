import { createHash } from 'node:crypto';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { InvalidManifestError, LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { dayManifestKey, s3Url } from './objectKey.js';
import type { DayManifest } from './types.js';
import { validateManifest } from './validateManifest.js';

/** The sealed manifest of a day, or undefined when the day has not been sealed. */
export async function readDayManifest(deps: LakeStoreDeps, input: { chainId: number; date: string }): Promise<DayManifest | undefined> {
  return (await findDayManifest(deps, input))?.manifest;
}

/** Like readDayManifest, with the manifest's key and the sha256 of its bytes (what a load records). */
export async function findDayManifest(
  deps: LakeStoreDeps,
  input: { chainId: number; date: string },
): Promise<{ key: string; sha256: string; manifest: DayManifest } | undefined> {
  const key = dayManifestKey({ prefix: deps.lake.prefix, ...input });
  const url = s3Url(deps.lake.bucket, key);
  let bytes: Buffer;
  try {
    const response = await deps.s3.send(new GetObjectCommand({ Bucket: deps.lake.bucket, Key: key }));
    bytes = Buffer.from((await response.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new LakeObjectError(`Could not read ${url}: ${error instanceof Error ? error.message : String(error)}`, {
      context: { key },
      fix: 'check the bucket name and that the credentials may read it',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidManifestError(`Day manifest ${url} is not JSON`, { fix: 'seal the day again', cause: error });
  }
  return { key, sha256: createHash('sha256').update(bytes).digest('hex'), manifest: validateManifest(parsed, url) };
}

export function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // A missing bucket is a configuration problem, not an unsealed day.
  if (error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}
