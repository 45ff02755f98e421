import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { InvalidManifestError, LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { dayManifestDir, dayManifestKey, manifestVersionOfKey, s3Url } from './objectKey.js';
import type { DayManifest } from './types.js';
import { validateManifest } from './validateManifest.js';

export interface FoundDayManifest {
  key: string;
  /** sha256 of the exact stored bytes: what a load records and the next day's manifest links to. */
  sha256: string;
  /** The exact stored bytes, for signature checks. */
  bytes: Buffer;
  /** 1 for manifest.json, n for manifest.v<n>.json. */
  version: number;
  manifest: DayManifest;
}

/** The latest sealed manifest of a day, or undefined when the day has not been sealed. */
export async function readDayManifest(deps: LakeStoreDeps, input: { chainId: number; date: string }): Promise<DayManifest | undefined> {
  return (await findDayManifest(deps, input))?.manifest;
}

/** Like readDayManifest, with the latest version's key, bytes and sha256 (what a load records). */
export async function findDayManifest(deps: LakeStoreDeps, input: { chainId: number; date: string }): Promise<FoundDayManifest | undefined> {
  const versions = await listManifestVersions(deps, input);
  const latest = versions[versions.length - 1];
  if (latest === undefined) return undefined;
  return readManifestVersion(deps, { ...input, version: latest });
}

/** The manifest versions sealed for a day, in ascending order (empty when none). */
export async function listManifestVersions(deps: LakeStoreDeps, input: { chainId: number; date: string }): Promise<number[]> {
  const dir = dayManifestDir({ prefix: deps.lake.prefix, ...input });
  const versions: number[] = [];
  let token: string | undefined;
  do {
    let page;
    try {
      page = await deps.s3.send(new ListObjectsV2Command({ Bucket: deps.lake.bucket, Prefix: `${dir}/manifest`, ...(token ? { ContinuationToken: token } : {}) }));
    } catch (error) {
      throw new LakeObjectError(`Could not list ${s3Url(deps.lake.bucket, `${dir}/`)}: ${error instanceof Error ? error.message : String(error)}`, {
        context: { key: dir },
        fix: 'check the bucket name and that the credentials may list it',
        cause: error,
      });
    }
    for (const object of page.Contents ?? []) {
      const version = object.Key && object.Key.startsWith(`${dir}/`) ? manifestVersionOfKey(object.Key) : undefined;
      if (version !== undefined) versions.push(version);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return versions.sort((a, b) => a - b);
}

/** One version of a day's manifest, or undefined when that version does not exist. */
export async function readManifestVersion(
  deps: LakeStoreDeps,
  input: { chainId: number; date: string; version: number },
): Promise<FoundDayManifest | undefined> {
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
    throw new InvalidManifestError(`Day manifest ${url} is not JSON`, {
      fix: `supersede it: \`ledgerflow lake export-day --date ${input.date} --force --reason "<why>"\``,
      cause: error,
    });
  }
  const manifest = validateManifest(parsed, url, { prefix: deps.lake.prefix });
  if (manifest.chainId !== input.chainId || manifest.date !== input.date) {
    throw new InvalidManifestError(`Day manifest ${url} describes chain ${manifest.chainId} day ${manifest.date}`, {
      fix: `supersede it: \`ledgerflow lake export-day --date ${input.date} --force --reason "<why>"\``,
    });
  }
  return { key, sha256: createHash('sha256').update(bytes).digest('hex'), bytes, version: input.version, manifest };
}

export function isNotFound(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  // A missing bucket is a configuration problem, not an unsealed day.
  if (error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || status === 404;
}
