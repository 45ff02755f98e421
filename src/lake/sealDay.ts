import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import { buildDayManifest, type SealDayInput } from './buildDayManifest.js';
import { canonicalJson } from './canonicalJson.js';
import { putOnce, sha256Hex } from './conditionalPut.js';
import { copyManifest } from './copyManifest.js';
import { DayBoundaryReorgError, SealedManifestConflictError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { signatureFileBytes, type ManifestSigner } from './manifestSignature.js';
import { copyManifestKey, dayManifestKey, manifestSignatureKey, objectKey, parseObjectKey } from './objectKey.js';
import { findDayManifest, type FoundDayManifest } from './readDayManifest.js';
import type { DayManifest, DayManifestV1, DayManifestV2, PreviousDayLink, SupersededManifest } from './types.js';

export type { SealDayInput } from './buildDayManifest.js';

export interface SealDayResult {
  manifestKey: string;
  manifestSha256: string;
  manifest: DayManifest;
  /** Redshift COPY manifest key per entity, of this manifest version. */
  copyManifestKeys: Record<string, string>;
  /** written: a new day; unchanged: the same bytes were already sealed; superseded: a new version of the day. */
  outcome: 'written' | 'unchanged' | 'superseded';
}

export interface SealDayOptions {
  /** Write a new version of an already sealed day, recording which version it replaces and why. */
  supersede?: { reason: string };
  /** Seal without a signer on purpose; the manifest then says `signing: { unsigned: true }`. */
  unsigned?: boolean;
}

/**
 * Seals a day: checks coverage and hash continuity inside the day (buildDayManifest) and across
 * the boundary from the previous sealed day, then writes, each exactly once, the Redshift COPY
 * manifests, the detached signature and the manifest last, so a manifest present means the rest
 * is. A sealed manifest is never overwritten: the same bytes again are a no-op, other bytes are
 * refused unless superseding, which writes the next version under its own key. Nothing in the
 * manifest depends on the clock and ed25519 is deterministic, so sealing again gives the same bytes.
 */
export async function sealDay(deps: LakeStoreDeps & { signer?: ManifestSigner }, input: SealDayInput, options: SealDayOptions = {}): Promise<SealDayResult> {
  const { signer } = deps;
  if (!signer && !options.unsigned) {
    throw new ConfigurationError(`Refusing to seal day ${input.date} without a signing key`, {
      context: { chain_id: input.chainId, date: input.date },
      fix: 'set LEDGERFLOW_SIGNING_KEY, or seal unsigned on purpose with --unsigned / LEDGERFLOW_SEAL_UNSIGNED=true',
    });
  }
  const body = buildDayManifest(input);
  const previous = await linkToPreviousDay(deps, body);
  const latest = await findDayManifest(deps, { chainId: body.chainId, date: body.date });
  const candidate = (supersedes: SupersededManifest | undefined): DayManifestV2 => ({
    ...body,
    manifestVersion: 2,
    previous,
    signing: signer ? { algorithm: 'ed25519', keyId: signer.keyId } : { unsigned: true },
    ...(supersedes ? { supersedes } : {}),
  });

  // The latest version, sealed again with the same content (a retry, a re-run), is a no-op.
  const latestSupersedes = latest?.manifest.manifestVersion === 2 ? latest.manifest.supersedes : undefined;
  const again = candidate(latestSupersedes);
  if (latest && latest.bytes.equals(manifestBytes(again))) return write(deps, again, latest.version, 'unchanged');
  if (!latest) return write(deps, again, 1, 'written');
  if (!options.supersede) {
    throw new SealedManifestConflictError({ key: latest.key, date: body.date, storedSha256: latest.sha256, newSha256: sha256Hex(manifestBytes(again)) });
  }
  // A superseding export writes under the next version's keys; when its data is what the latest
  // version already holds, the latest version stands and the copies go.
  if (sameData(again, latest.manifest)) {
    await removeCopies(deps, again, latest.manifest);
    return {
      manifestKey: latest.key,
      manifestSha256: latest.sha256,
      manifest: latest.manifest,
      copyManifestKeys: Object.fromEntries(
        latest.manifest.entities.map((entity) => [entity, copyManifestKey({ prefix: deps.lake.prefix, chainId: body.chainId, date: body.date, entity, version: latest.version })]),
      ),
      outcome: 'unchanged',
    };
  }
  return write(deps, candidate(supersedesOf(latest, options.supersede.reason)), latest.version + 1, 'superseded');
}

async function write(
  deps: LakeStoreDeps & { signer?: ManifestSigner },
  manifest: DayManifestV2,
  version: number,
  outcome: SealDayResult['outcome'],
): Promise<SealDayResult> {
  const where = { prefix: deps.lake.prefix, chainId: manifest.chainId, date: manifest.date, version };
  const copyManifestKeys: Record<string, string> = {};
  for (const entity of manifest.entities) {
    const key = copyManifestKey({ ...where, entity });
    const files = manifest.files.filter((file) => file.entity === entity);
    await putOnce(deps, key, Buffer.from(canonicalJson(copyManifest(deps.lake.bucket, files)), 'utf8'), manifest.date);
    copyManifestKeys[entity] = key;
  }
  const manifestKey = dayManifestKey(where);
  const bytes = manifestBytes(manifest);
  if (deps.signer) await putOnce(deps, manifestSignatureKey(manifestKey), signatureFileBytes(deps.signer, bytes), manifest.date);
  // Throws SealedManifestConflictError when other bytes are sealed under this key.
  await putOnce(deps, manifestKey, bytes, manifest.date);
  const manifestSha256 = sha256Hex(bytes);
  deps.logger?.info(
    { chain_id: manifest.chainId, date: manifest.date, key: manifestKey, sha256: manifestSha256, outcome, files: manifest.files.length, signed: 'keyId' in manifest.signing },
    'day sealed',
  );
  return { manifestKey, manifestSha256, manifest, copyManifestKeys, outcome };
}

/** Equal but for the manifest version the data keys were written under. */
function sameData(candidate: DayManifest, latest: DayManifest): boolean {
  return canonicalJson(withUnversionedKeys(candidate)) === canonicalJson(withUnversionedKeys(latest));
}

function withUnversionedKeys(manifest: DayManifest): DayManifest {
  return { ...manifest, files: manifest.files.map((file) => ({ ...file, key: unversionedKey(file.key) })) };
}

function unversionedKey(key: string): string {
  const parsed = parseObjectKey(key);
  if (!parsed) return key;
  const { version: _version, ...rest } = parsed;
  return objectKey(rest);
}

/** Best effort: a copy left behind is unreferenced and harmless, so a failed delete is only logged. */
async function removeCopies(deps: LakeStoreDeps, candidate: DayManifest, latest: DayManifest): Promise<void> {
  const kept = new Set(latest.files.map((file) => file.key));
  for (const file of candidate.files) {
    if (kept.has(file.key)) continue;
    await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.lake.bucket, Key: file.key })).catch((error: unknown) => {
      deps.logger?.warn({ key: file.key, err: error }, 'could not remove an unneeded superseding copy');
    });
  }
}

function manifestBytes(manifest: DayManifest): Buffer {
  return Buffer.from(canonicalJson(manifest), 'utf8');
}

function supersedesOf(latest: FoundDayManifest, reason: string): SupersededManifest {
  const trimmed = reason.trim();
  if (!trimmed) {
    throw new ConfigurationError(`Superseding day ${latest.manifest.date} needs a reason`, {
      context: { key: latest.key },
      fix: 'say why the sealed version is replaced: --reason "<why>" (or run-day --supersede "<why>")',
    });
  }
  return { manifestKey: latest.key, manifestSha256: latest.sha256, reason: trimmed };
}

/**
 * The link to the previous day's latest sealed manifest, or null when that day is not sealed
 * (the first day of a chain segment). Refuses a day that does not continue it: a gap or overlap
 * in block ranges, or a first parentHash other than the previous day's last block hash.
 */
async function linkToPreviousDay(deps: LakeStoreDeps, day: DayManifestV1): Promise<PreviousDayLink | null> {
  const previousDate = dayBefore(day.date);
  const found = await findDayManifest(deps, { chainId: day.chainId, date: previousDate });
  if (!found) return null;
  const before = found.manifest;
  const fields = { chainId: day.chainId, date: day.date, previousDate, previousManifestKey: found.key };
  if (before.range.end + 1 !== day.range.start) {
    throw new DayBoundaryReorgError(
      `Day ${day.date} starts at block ${day.range.start} but day ${previousDate} ends at block ${before.range.end}: the ranges do not meet`,
      fields,
    );
  }
  const parentHash = day.chunks[0]!.firstParentHash;
  if (parentHash.toLowerCase() !== before.lastBlockHash.toLowerCase()) {
    throw new DayBoundaryReorgError(
      `Reorg across the day boundary: day ${day.date}'s first block ${day.range.start} has parentHash ${parentHash}, but day ${previousDate}'s sealed last block ${before.range.end} is ${before.lastBlockHash}`,
      fields,
    );
  }
  return { date: previousDate, manifestKey: found.key, manifestSha256: found.sha256, lastBlockHash: before.lastBlockHash };
}

export function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
