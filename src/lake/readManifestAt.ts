import { createHash } from 'node:crypto';
import { InvalidManifestError, LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { s3Url } from './objectKey.js';
import { readObjectIfPresent } from './readObject.js';
import type { DayManifest } from './types.js';
import { validateManifest } from './validateManifest.js';

export interface StoredManifest {
  key: string;
  /** sha256 of the exact stored bytes: what a load records and the next day's manifest links to. */
  sha256: string;
  /** The exact stored bytes, for signature checks. */
  bytes: Buffer;
  manifest: DayManifest;
}

/**
 * The manifest stored under one key, with the sha256 of its exact bytes: what a load or a
 * verification pins to, whatever version of the day it is.
 */
export async function readManifestAt(deps: LakeStoreDeps, key: string, options: { signal?: AbortSignal } = {}): Promise<StoredManifest> {
  const found = await readManifestIfPresent(deps, key, options);
  if (!found) {
    throw new LakeObjectError(`Manifest ${s3Url(deps.lake.bucket, key)} does not exist`, {
      context: { key },
      fix: 'check that the day was sealed under this key and that the credentials may read the bucket',
    });
  }
  return found;
}

/** Like readManifestAt, or undefined when no object is stored under the key. */
export async function readManifestIfPresent(deps: LakeStoreDeps, key: string, options: { signal?: AbortSignal; fix?: string } = {}): Promise<StoredManifest | undefined> {
  const url = s3Url(deps.lake.bucket, key);
  const read = () => readObjectIfPresent(deps, key, options.signal ? { signal: options.signal } : {});
  const bytes = await read();
  if (!bytes) return undefined;
  const parse = (stored: Buffer): StoredManifest => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stored.toString('utf8'));
    } catch (error) {
      throw new InvalidManifestError(`Day manifest ${url} is not JSON`, { fix: options.fix ?? 'seal the day again', cause: error });
    }
    return { key, sha256: createHash('sha256').update(stored).digest('hex'), bytes: stored, manifest: validateManifest(parsed, url, { prefix: deps.lake.prefix }) };
  };
  try {
    return parse(bytes);
  } catch (error) {
    // A read cut short on the way is not a broken manifest: only bytes read twice alike are.
    const again = await read();
    if (!again || again.equals(bytes)) throw error;
    return parse(again);
  }
}
