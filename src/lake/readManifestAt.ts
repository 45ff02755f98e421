import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { InvalidManifestError, LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { s3Url } from './objectKey.js';
import type { DayManifest } from './types.js';
import { validateManifest } from './validateManifest.js';

/**
 * The manifest stored under one key, with the sha256 of its exact bytes: what a load or a
 * verification pins to, whatever version of the day it is.
 */
export async function readManifestAt(
  deps: LakeStoreDeps,
  key: string,
  options: { signal?: AbortSignal } = {},
): Promise<{ key: string; sha256: string; bytes: Buffer; manifest: DayManifest }> {
  const url = s3Url(deps.lake.bucket, key);
  let bytes: Buffer;
  try {
    const response = await deps.s3.send(new GetObjectCommand({ Bucket: deps.lake.bucket, Key: key }), options.signal ? { abortSignal: options.signal } : {});
    bytes = Buffer.from((await response.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    throw new LakeObjectError(`Could not read manifest ${url}: ${error instanceof Error ? error.message : String(error)}`, {
      context: { key },
      fix: 'check that the day was sealed under this key and that the credentials may read the bucket',
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new InvalidManifestError(`Day manifest ${url} is not JSON`, { fix: 'seal the day again', cause: error });
  }
  return { key, sha256: createHash('sha256').update(bytes).digest('hex'), bytes, manifest: validateManifest(parsed, url, { prefix: deps.lake.prefix }) };
}
