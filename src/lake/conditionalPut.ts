import { PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { LakeObjectError, SealedManifestConflictError } from './errors.js';
import type { LakeStoreDeps } from './lakeDeps.js';
import { readObjectIfPresent } from './readObject.js';
import { s3Url } from './objectKey.js';

export type PutOnceOutcome = 'written' | 'unchanged';

/**
 * Writes an object that must never change once written. Identical bytes already there are a
 * no-op; other bytes are refused (SealedManifestConflictError naming both sha256 values).
 *
 * The put carries `If-None-Match: *`, which AWS S3 enforces. Some servers ignore it (s3rver
 * answers the PUT as if the header were absent) or reject it, so the object is also read before
 * the put and read back after it: on any server an existing object is never overwritten, and a
 * racing writer's different bytes are reported, not silently accepted.
 */
export async function putOnce(deps: LakeStoreDeps, key: string, body: Buffer, date: string): Promise<PutOnceOutcome> {
  const stored = await readIfPresent(deps, key);
  if (stored) return compare(key, stored, body, date);
  try {
    await deps.s3.send(
      new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: body, ContentType: 'application/json', IfNoneMatch: '*', ...retentionHeaders(deps) }),
    );
  } catch (error) {
    if (isPreconditionFailed(error)) {
      const winner = await readIfPresent(deps, key);
      if (winner) return compare(key, winner, body, date);
    }
    if (!isConditionUnsupported(error)) throw writeError(deps, key, error);
    // The server refused the header itself: the read above found nothing, so write plainly.
    try {
      await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: body, ContentType: 'application/json', ...retentionHeaders(deps) }));
    } catch (plainError) {
      throw writeError(deps, key, plainError);
    }
  }
  const readBack = await readIfPresent(deps, key);
  if (!readBack) {
    throw new LakeObjectError(`${s3Url(deps.lake.bucket, key)} is missing right after it was written`, {
      context: { key },
      fix: 'check the bucket for lifecycle rules or another process deleting manifests, then seal again',
    });
  }
  compare(key, readBack, body, date);
  return 'written';
}

/**
 * S3 Object Lock for a sealed object, when the lake is configured with a retention: the bucket
 * policy refuses manifests without it. S3 counts whole days left, so one day more keeps the lock
 * from falling a day short. A checksum is required with lock headers.
 */
function retentionHeaders(deps: LakeStoreDeps) {
  const retention = deps.lake.manifestRetention;
  if (!retention) return {};
  return {
    ObjectLockMode: retention.mode,
    ObjectLockRetainUntilDate: new Date(Date.now() + (retention.days + 1) * 86_400_000),
    ChecksumAlgorithm: 'SHA256' as const,
  };
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function compare(key: string, stored: Buffer, body: Buffer, date: string): PutOnceOutcome {
  if (stored.equals(body)) return 'unchanged';
  throw new SealedManifestConflictError({ key, date, storedSha256: sha256Hex(stored), newSha256: sha256Hex(body) });
}

function readIfPresent(deps: LakeStoreDeps, key: string): Promise<Buffer | undefined> {
  return readObjectIfPresent(deps, key, { fix: 'check that the credentials may read the bucket, then seal again' });
}

function statusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** 412: the object exists; 409: a concurrent conditional write to the same key is in progress. */
function isPreconditionFailed(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return statusOf(error) === 412 || statusOf(error) === 409 || name === 'PreconditionFailed' || name === 'ConditionalRequestConflict';
}

function isConditionUnsupported(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return statusOf(error) === 501 || name === 'NotImplemented';
}

function writeError(deps: LakeStoreDeps, key: string, error: unknown): LakeObjectError {
  return new LakeObjectError(`Could not write ${s3Url(deps.lake.bucket, key)}: ${error instanceof Error ? error.message : String(error)}`, {
    context: { key },
    fix: 'check that the bucket exists and the credentials may write to it, then seal again',
    cause: error,
  });
}
