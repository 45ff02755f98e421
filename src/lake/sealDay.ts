import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { buildDayManifest, type SealDayInput } from './buildDayManifest.js';
import { canonicalJson } from './canonicalJson.js';
import { copyManifest } from './copyManifest.js';
import { LakeObjectError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { copyManifestKey, dayManifestKey, s3Url } from './objectKey.js';
import type { DayManifest } from './types.js';

export interface SealDayResult {
  manifestKey: string;
  manifestSha256: string;
  manifest: DayManifest;
  /** Redshift COPY manifest key per entity. */
  copyManifestKeys: Record<string, string>;
}

/**
 * Seals a day: checks coverage and hash continuity (buildDayManifest), writes one Redshift COPY
 * manifest per entity, then manifest.json last, so its presence means the day is complete.
 * Idempotent: sealing the same chunks again writes the same bytes.
 */
export async function sealDay(deps: LakeStoreDeps, input: SealDayInput): Promise<SealDayResult> {
  const manifest = buildDayManifest(input);
  const where = { prefix: deps.lake.prefix, chainId: manifest.chainId, date: manifest.date };
  const copyManifestKeys: Record<string, string> = {};
  for (const entity of manifest.entities) {
    const key = copyManifestKey({ ...where, entity });
    await putJson(deps, key, copyManifest(deps.lake.bucket, manifest.files.filter((file) => file.entity === entity)));
    copyManifestKeys[entity] = key;
  }
  const manifestKey = dayManifestKey(where);
  const manifestSha256 = await putJson(deps, manifestKey, manifest);
  deps.logger?.info({ chain_id: manifest.chainId, date: manifest.date, key: manifestKey, files: manifest.files.length }, 'day sealed');
  return { manifestKey, manifestSha256, manifest, copyManifestKeys };
}

async function putJson(deps: LakeStoreDeps, key: string, value: unknown): Promise<string> {
  const body = Buffer.from(canonicalJson(value), 'utf8');
  try {
    await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: body, ContentType: 'application/json' }));
  } catch (error) {
    throw new LakeObjectError(`Could not write ${s3Url(deps.lake.bucket, key)}: ${error instanceof Error ? error.message : String(error)}`, {
      context: { key },
      fix: 'check that the bucket exists and the credentials may write to it, then seal again',
      cause: error,
    });
  }
  return createHash('sha256').update(body).digest('hex');
}
