import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import pLimit from 'p-limit';
import { LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { s3Url } from './objectKey.js';
import { isNotFound } from './readObject.js';
import type { DayManifest, LakeFile } from './types.js';

export interface LakeObjectProblem {
  key: string;
  problem: 'missing' | 'size' | 'sha256';
  expected: string | number | null;
  actual: string | number | null;
}

/**
 * Streams every object a manifest lists and checks it is there with the recorded size and
 * sha256: catches objects deleted, truncated or altered since the day was sealed, without
 * touching the chain.
 */
export async function checkLakeObjects(
  deps: LakeStoreDeps,
  manifest: DayManifest,
  options: { concurrency?: number } = {},
): Promise<{ ok: boolean; problems: LakeObjectProblem[] }> {
  const limit = pLimit(options.concurrency ?? 4);
  const found = await Promise.all(manifest.files.map((file) => limit(() => checkObject(deps, file))));
  const problems = found.filter((problem): problem is LakeObjectProblem => problem !== undefined);
  return { ok: problems.length === 0, problems };
}

async function checkObject(deps: LakeStoreDeps, file: LakeFile): Promise<LakeObjectProblem | undefined> {
  let body: Readable;
  try {
    const response = await deps.s3.send(new GetObjectCommand({ Bucket: deps.lake.bucket, Key: file.key }));
    body = response.Body as Readable;
  } catch (error) {
    if (isNotFound(error)) return { key: file.key, problem: 'missing', expected: file.sha256, actual: null };
    throw new LakeObjectError(`Could not read ${s3Url(deps.lake.bucket, file.key)}: ${error instanceof Error ? error.message : String(error)}`, {
      context: { key: file.key },
      fix: 'check that the credentials may read the bucket',
      cause: error,
    });
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of body) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  if (bytes !== file.bytes) return { key: file.key, problem: 'size', expected: file.bytes, actual: bytes };
  const sha256 = hash.digest('hex');
  if (sha256 !== file.sha256) return { key: file.key, problem: 'sha256', expected: file.sha256, actual: sha256 };
  return undefined;
}
