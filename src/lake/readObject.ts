import { GetObjectCommand } from '@aws-sdk/client-s3';
import { LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { s3Url } from './objectKey.js';

/** The whole object's bytes, or undefined when there is no object under the key. */
export async function readObjectIfPresent(
  deps: LakeStoreDeps,
  key: string,
  options: { signal?: AbortSignal; fix?: string } = {},
): Promise<Buffer | undefined> {
  try {
    const response = await deps.s3.send(new GetObjectCommand({ Bucket: deps.lake.bucket, Key: key }), options.signal ? { abortSignal: options.signal } : {});
    return Buffer.from((await response.Body?.transformToByteArray()) ?? []);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw new LakeObjectError(`Could not read ${s3Url(deps.lake.bucket, key)}: ${error instanceof Error ? error.message : String(error)}`, {
      context: { key },
      fix: options.fix ?? 'check the bucket name and that the credentials may read it',
      cause: error,
    });
  }
}

export function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // A missing bucket is a configuration problem, not an unsealed day.
  if (error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}
