import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

export interface LakeObjectsChecked {
  ok: boolean;
  problems: LakeObjectProblem[];
}

/**
 * Streams every object a manifest lists and checks it is there with the recorded size and
 * sha256: catches objects deleted, truncated or altered since the day was sealed, without
 * touching the chain.
 */
export async function checkLakeObjects(deps: LakeStoreDeps, manifest: DayManifest, options: { concurrency?: number } = {}): Promise<LakeObjectsChecked> {
  return checkEach(manifest.files, options.concurrency, (file) => checkObject(deps, file));
}

/**
 * Copies a manifest's objects under `dir`, each at its key's path (so `chain=`, `entity=` and
 * `date=` folders read as hive partitions), checking each as checkLakeObjects does. An object
 * appears under its name only when its size and sha256 match the manifest; one that does not is
 * reported and left out.
 */
export async function pullLakeObjects(
  deps: LakeStoreDeps,
  input: { files: readonly LakeFile[]; dir: string },
  options: { concurrency?: number } = {},
): Promise<LakeObjectsChecked> {
  return checkEach(input.files, options.concurrency, async (file) => {
    const target = path.join(input.dir, ...file.key.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    try {
      const problem = await checkObject(deps, file, () => createWriteStream(partial));
      if (!problem) await rename(partial, target);
      return problem;
    } finally {
      await rm(partial, { force: true });
    }
  });
}

async function checkEach(files: readonly LakeFile[], concurrency = 4, check: (file: LakeFile) => Promise<LakeObjectProblem | undefined>): Promise<LakeObjectsChecked> {
  const limit = pLimit(concurrency);
  const found = await Promise.all(files.map((file) => limit(() => check(file))));
  const problems = found.filter((problem): problem is LakeObjectProblem => problem !== undefined);
  return { ok: problems.length === 0, problems };
}

async function checkObject(deps: LakeStoreDeps, file: LakeFile, copyTo?: () => Writable): Promise<LakeObjectProblem | undefined> {
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
  const hashed = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  };
  if (copyTo) await pipeline(body, hashed, copyTo());
  else for await (const _chunk of hashed(body)) void _chunk;
  if (bytes !== file.bytes) return { key: file.key, problem: 'size', expected: file.bytes, actual: bytes };
  const sha256 = hash.digest('hex');
  if (sha256 !== file.sha256) return { key: file.key, problem: 'sha256', expected: file.sha256, actual: sha256 };
  return undefined;
}
