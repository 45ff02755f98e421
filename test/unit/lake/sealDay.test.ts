import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRetryable } from '../../../src/errors/LedgerflowError.js';
import { putOnce, sha256Hex } from '../../../src/lake/conditionalPut.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { DayBoundaryReorgError, SealedManifestConflictError } from '../../../src/lake/errors.js';
import type { LakeStoreDeps } from '../../../src/lake/lakeDeps.js';
import { loadManifestSigner, loadTrustedKeys, verifyManifestSignature, type ManifestSigner } from '../../../src/lake/manifestSignature.js';
import { findDayManifest } from '../../../src/lake/readDayManifest.js';
import { sealDay } from '../../../src/lake/sealDay.js';
import { verifyChain } from '../../../src/lake/verifyChain.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';
import { blockHash, ed25519Pems, syntheticDay } from './custodyFixtures.js';

let server: RunningS3rver;
let s3: S3Client;
const keys = ed25519Pems();
let signer: ManifestSigner;

beforeAll(async () => {
  server = await startS3rver();
  s3 = createS3Client({ endpoint: server.endpoint, credentials: server.credentials });
  signer = loadManifestSigner(keys.privatePem);
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
});

/** Each test gets its own prefix: a lake of its own in the shared bucket. */
function lake(): LakeStoreDeps & { signer: ManifestSigner } {
  return { s3, lake: { bucket: server.bucket, prefix: `t-${randomBytes(4).toString('hex')}` }, signer };
}

async function get(deps: LakeStoreDeps, key: string): Promise<Buffer | undefined> {
  try {
    const response = await deps.s3.send(new GetObjectCommand({ Bucket: deps.lake.bucket, Key: key }));
    return Buffer.from(await response.Body!.transformToByteArray());
  } catch {
    return undefined;
  }
}

async function put(deps: LakeStoreDeps, key: string, body: Buffer | string): Promise<void> {
  await deps.s3.send(new PutObjectCommand({ Bucket: deps.lake.bucket, Key: key, Body: body }));
}

async function keysUnder(deps: LakeStoreDeps): Promise<string[]> {
  const page = await deps.s3.send(new ListObjectsV2Command({ Bucket: deps.lake.bucket, Prefix: `${deps.lake.prefix}/` }));
  return (page.Contents ?? []).map((o) => o.Key!.slice(deps.lake.prefix.length + 1)).sort();
}

describe('putOnce on a server that ignores If-None-Match (s3rver)', () => {
  it('writes a new key, is a no-op for the same bytes, and never overwrites other bytes', async () => {
    const deps = lake();
    const key = `${deps.lake.prefix}/sealed.json`;
    expect(await putOnce(deps, key, Buffer.from('one'), '2024-03-01')).toBe('written');
    expect(await putOnce(deps, key, Buffer.from('one'), '2024-03-01')).toBe('unchanged');
    await expect(putOnce(deps, key, Buffer.from('two'), '2024-03-01')).rejects.toThrow(
      `Refusing to overwrite sealed ${key}: stored sha256 ${sha256Hex(Buffer.from('one'))}, new sha256 ${sha256Hex(Buffer.from('two'))}`,
    );
    expect((await get(deps, key))?.toString()).toBe('one');
  });
});

describe('putOnce with a manifest retention (Object Lock in AWS)', () => {
  it('sends the lock mode, a retain-until past the configured days and a checksum with the put', async () => {
    const base = lake();
    const deps: LakeStoreDeps = { ...base, lake: { ...base.lake, manifestRetention: { mode: 'COMPLIANCE', days: 30 } } };
    const sent: Array<Record<string, unknown>> = [];
    // Records what the client puts; s3rver itself ignores lock headers.
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutObjectCommand') sent.push({ ...(args.input as Record<string, unknown>) });
        return next(args);
      },
      { step: 'initialize', name: 'recordPuts' },
    );
    try {
      const before = Date.now();
      await putOnce(deps, `${deps.lake.prefix}/locked.json`, Buffer.from('{}'), '2024-03-01');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({ ObjectLockMode: 'COMPLIANCE', ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' });
      const until = (sent[0]!.ObjectLockRetainUntilDate as Date).getTime();
      expect(until).toBeGreaterThanOrEqual(before + 31 * 86_400_000);
      expect(until).toBeLessThan(Date.now() + 32 * 86_400_000);
    } finally {
      s3.middlewareStack.remove('recordPuts');
    }
  });
});

describe('sealDay on a real S3 server (s3rver ignores If-None-Match on PUT)', () => {
  it('refuses to seal without a signer unless unsigned, and an unsigned manifest says so', async () => {
    const deps = lake();
    const { signer: _ignored, ...unsignedDeps } = deps;
    const day = syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100 });
    await expect(sealDay(unsignedDeps, day)).rejects.toThrow(/Refusing to seal day 2024-03-01 without a signing key.*LEDGERFLOW_SIGNING_KEY.*--unsigned/);
    expect(await keysUnder(deps)).toEqual([]);
    const sealed = await sealDay(unsignedDeps, day, { unsigned: true });
    expect(sealed.manifest).toMatchObject({ manifestVersion: 2, signing: { unsigned: true }, previous: null });
    expect(await get(deps, `${sealed.manifestKey}.sig`)).toBeUndefined();
    expect(await verifyManifestSignature(deps, (await findDayManifest(deps, day))!, [])).toEqual({ status: 'unsigned' });
  });

  it('writes copy manifests, signature and manifest once; the same seal again is a no-op with the same bytes', async () => {
    const deps = lake();
    const day = syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100 });
    const first = await sealDay(deps, day);
    expect(first.outcome).toBe('written');
    expect(first.manifest).toMatchObject({ manifestVersion: 2, previous: null, signing: { algorithm: 'ed25519', keyId: signer.keyId } });
    expect(await keysUnder(deps)).toEqual([
      'chain=31337/manifests/date=2024-03-01/copy/blocks.manifest',
      'chain=31337/manifests/date=2024-03-01/copy/transactions.manifest',
      'chain=31337/manifests/date=2024-03-01/manifest.json',
      'chain=31337/manifests/date=2024-03-01/manifest.json.sig',
    ]);
    const bytes = await get(deps, first.manifestKey);
    const sig = await get(deps, `${first.manifestKey}.sig`);
    const again = await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100 }));
    expect(again).toMatchObject({ outcome: 'unchanged', manifestKey: first.manifestKey, manifestSha256: first.manifestSha256 });
    expect(await get(deps, first.manifestKey)).toEqual(bytes);
    expect(await get(deps, `${first.manifestKey}.sig`)).toEqual(sig);
    const found = await findDayManifest(deps, day);
    expect(found).toMatchObject({ key: first.manifestKey, sha256: first.manifestSha256, version: 1 });
    expect(found!.bytes).toEqual(bytes);
  });

  it('refuses different bytes naming both sha256 values and how to supersede, and leaves the stored manifest as it was', async () => {
    const deps = lake();
    const first = await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100 }));
    const stored = await get(deps, first.manifestKey);
    const other = syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100, fork: 1, parentFork: 0 });
    const error = await sealDay(deps, other).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SealedManifestConflictError);
    expect(isRetryable(error)).toBe(false);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`stored sha256 ${first.manifestSha256}`);
    expect(message).toMatch(/new sha256 [0-9a-f]{64}/);
    expect(message).toContain('ledgerflow lake export-day --date 2024-03-01 --force --reason');
    expect(message).toContain('ledgerflow run-day --date 2024-03-01 --supersede');
    expect(await get(deps, first.manifestKey)).toEqual(stored);
    expect((await keysUnder(deps)).filter((k) => k.includes('manifest.v'))).toEqual([]);
  });

  it('supersedes with a new version under its own key and keeps the old one; readers get the latest', async () => {
    const deps = lake();
    const first = await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100 }));
    const v1Bytes = await get(deps, first.manifestKey);
    const other = syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100, fork: 1, parentFork: 0 });
    const second = await sealDay(deps, other, { supersede: { reason: 'node served a stale fork' } });
    expect(second.outcome).toBe('superseded');
    expect(second.manifestKey).toBe(`${deps.lake.prefix}/chain=31337/manifests/date=2024-03-01/manifest.v2.json`);
    expect(second.manifest).toMatchObject({ supersedes: { manifestKey: first.manifestKey, manifestSha256: first.manifestSha256, reason: 'node served a stale fork' } });
    expect(second.copyManifestKeys).toEqual({
      blocks: `${deps.lake.prefix}/chain=31337/manifests/date=2024-03-01/copy/v2/blocks.manifest`,
      transactions: `${deps.lake.prefix}/chain=31337/manifests/date=2024-03-01/copy/v2/transactions.manifest`,
    });
    expect(await get(deps, first.manifestKey)).toEqual(v1Bytes);
    expect(await get(deps, `${second.manifestKey}.sig`)).toBeDefined();
    const latest = await findDayManifest(deps, other);
    expect(latest).toMatchObject({ key: second.manifestKey, sha256: second.manifestSha256, version: 2 });
    // A retried supersede of the same content, or a plain re-seal of it, changes nothing.
    expect((await sealDay(deps, other, { supersede: { reason: 'node served a stale fork' } })).outcome).toBe('unchanged');
    expect((await sealDay(deps, other)).outcome).toBe('unchanged');
    const third = await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 100 }), { supersede: { reason: 'back to the canonical fork' } });
    expect(third.manifestKey).toMatch(/manifest\.v3\.json$/);
    expect(third.manifest).toMatchObject({ supersedes: { manifestKey: second.manifestKey, manifestSha256: second.manifestSha256 } });
  });

  it('links each day to the previous one and refuses a reorg or a gap across the boundary', async () => {
    const deps = lake();
    const day1 = await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-02-29', start: 100 }));
    const day2 = await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-01', start: 125 }));
    expect(day2.manifest).toMatchObject({
      previous: { date: '2024-02-29', manifestKey: day1.manifestKey, manifestSha256: day1.manifestSha256, lastBlockHash: blockHash(124) },
    });

    const reorged = syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-02', start: 150, fork: 7, parentFork: 7 });
    const error = await sealDay(deps, reorged).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DayBoundaryReorgError);
    expect(isRetryable(error)).toBe(false);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`day 2024-03-02's first block 150 has parentHash ${blockHash(149, 7)}`);
    expect(message).toContain(`day 2024-03-01's sealed last block 149 is ${blockHash(149)}`);
    expect(message).toContain('re-export day 2024-03-01');
    expect(await findDayManifest(deps, { chainId: 31337, date: '2024-03-02' })).toBeUndefined();

    await expect(sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date: '2024-03-02', start: 151 }))).rejects.toThrow(
      /Day 2024-03-02 starts at block 151 but day 2024-03-01 ends at block 149/,
    );
  });
});

describe('manifest signatures and verifyChain on a real S3 server', () => {
  async function threeDays(deps: LakeStoreDeps & { signer: ManifestSigner }) {
    const sealed = [];
    for (const [i, date] of ['2024-03-01', '2024-03-02', '2024-03-03'].entries()) {
      sealed.push(await sealDay(deps, syntheticDay({ prefix: deps.lake.prefix, date, start: 100 + 25 * i })));
    }
    return sealed;
  }

  it('verifies a signature against trusted keys and fails a tampered manifest, a missing signature and an unknown key', async () => {
    const deps = lake();
    const [day] = await threeDays(deps);
    const trusted = loadTrustedKeys([keys.publicPem]);
    const found = (await findDayManifest(deps, { chainId: 31337, date: '2024-03-01' }))!;
    expect(await verifyManifestSignature(deps, found, trusted)).toEqual({ status: 'valid', keyId: signer.keyId });
    expect(await verifyManifestSignature(deps, found, loadTrustedKeys([ed25519Pems().publicPem]))).toEqual({ status: 'unknown-key', keyId: signer.keyId });

    const tampered = found.bytes.toString('utf8').replace(`"rows": 10`, `"rows": 11`);
    expect(tampered).not.toBe(found.bytes.toString('utf8'));
    await put(deps, day!.manifestKey, tampered);
    const reread = (await findDayManifest(deps, { chainId: 31337, date: '2024-03-01' }))!;
    expect(await verifyManifestSignature(deps, reread, trusted)).toEqual({ status: 'invalid', keyId: signer.keyId });

    await deps.s3.send(new DeleteObjectCommand({ Bucket: deps.lake.bucket, Key: `${day!.manifestKey}.sig` }));
    expect(await verifyManifestSignature(deps, reread, trusted)).toEqual({ status: 'missing', keyId: signer.keyId });
  });

  it('verifyChain passes over sealed days and reports the first break', async () => {
    const deps = lake();
    const sealed = await threeDays(deps);
    const trusted = loadTrustedKeys([keys.privatePem]);
    const input = { chainId: 31337, from: '2024-03-01', to: '2024-03-03', trusted };
    const good = await verifyChain(deps, input);
    expect(good.ok).toBe(true);
    expect(good.days.map((d) => d.line.split('\t')[0])).toEqual(['ok', 'ok', 'ok']);

    const missing = await verifyChain(deps, { ...input, to: '2024-03-04' });
    expect(missing.firstBreak).toEqual({ date: '2024-03-04', problem: 'missing: no manifest sealed for this day' });

    // Day 2 replaced by other bytes: its signature fails, and day 3's link no longer matches.
    const found = (await findDayManifest(deps, { chainId: 31337, date: '2024-03-02' }))!;
    await put(deps, sealed[1]!.manifestKey, found.bytes.toString('utf8').replace('synthetic/v1', 'synthetic/v2'));
    const broken = await verifyChain(deps, input);
    expect(broken.ok).toBe(false);
    expect(broken.firstBreak).toEqual({ date: '2024-03-02', problem: `signature invalid (key ${signer.keyId})` });
    expect(broken.days[0]!.ok).toBe(true);
    expect(broken.days[2]!.problems.join('; ')).toContain(`previous sha256 mismatch: recorded ${sealed[1]!.manifestSha256}`);
    expect(broken.days[2]!.line).toMatch(/^BREAK\t2024-03-03\t/);

    // A manifest that is no longer JSON is a break too, not a crash of the walk.
    await put(deps, sealed[1]!.manifestKey, 'not json');
    const garbled = await verifyChain(deps, input);
    expect(garbled.firstBreak?.problem).toMatch(/^invalid manifest: Day manifest s3:\/\/.* is not JSON$/);
    expect(garbled.days[2]!.problems[0]).toMatch(/^previous manifest .* cannot be read: Day manifest .* is not JSON$/);
  });
});
