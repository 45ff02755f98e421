import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { InvalidManifestError, LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { dayManifestDir, dayManifestKey, manifestVersionOfKey, s3Url } from './objectKey.js';
import { readManifestIfPresent, type StoredManifest } from './readManifestAt.js';
import type { DayManifest } from './types.js';

export interface FoundDayManifest extends StoredManifest {
  /** 1 for manifest.json, n for manifest.v<n>.json. */
  version: number;
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
  const fix = `supersede it: \`ledgerflow lake export-day --date ${input.date} --force --reason "<why>"\``;
  const found = await readManifestIfPresent(deps, key, { fix });
  if (!found) return undefined;
  const { manifest } = found;
  if (manifest.chainId !== input.chainId || manifest.date !== input.date) {
    throw new InvalidManifestError(`Day manifest ${s3Url(deps.lake.bucket, key)} describes chain ${manifest.chainId} day ${manifest.date}`, { fix });
  }
  return { ...found, version: input.version };
}

export { isNotFound } from './readObject.js';
