import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityName } from '../../../src/chain/types.js';
import { checkLakeObjects } from '../../../src/lake/checkLakeObjects.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { ChainContinuityError } from '../../../src/lake/errors.js';
import { exportChunkToLake } from '../../../src/lake/exportChunkToLake.js';
import { exportDayToLake } from '../../../src/lake/exportDayToLake.js';
import type { LakeExportDeps } from '../../../src/lake/lakeDeps.js';
import { planChunks } from '../../../src/lake/planChunks.js';
import { findDayManifest, readDayManifest } from '../../../src/lake/readDayManifest.js';
import { sealDay } from '../../../src/lake/sealDay.js';
import { verifyDay } from '../../../src/lake/verifyDay.js';
import { loadManifestSigner, type ManifestSigner } from '../../../src/lake/manifestSignature.js';
import { startS3rver, type RunningS3rver } from '../../support/s3rver.js';
import { ed25519Pems } from './custodyFixtures.js';
import { fakeExporter, unusedRpc } from './fakeExporter.js';

const entities: EntityName[] = ['blocks', 'logs'];
const range = { start: 1_000, end: 1_024 };
const day = { chainId: 31337, date: '2024-01-31' };

let server: RunningS3rver;
let s3: S3Client;

beforeAll(async () => {
  server = await startS3rver();
  s3 = createS3Client({ endpoint: server.endpoint, credentials: server.credentials });
});
afterAll(async () => {
  s3?.destroy();
  await server?.stop();
});

const signer = loadManifestSigner(ed25519Pems().privatePem);

function deps(prefix: string, exporter = fakeExporter()): LakeExportDeps & { signer: ManifestSigner } {
  return { s3, rpc: unusedRpc, exporter, lake: { bucket: server.bucket, prefix }, signer };
}

async function exportDay(d: LakeExportDeps & { signer: ManifestSigner }) {
  const chunks = [];
  for (const chunk of planChunks(day.chainId, day.date, range, 10)) chunks.push(await exportChunkToLake(d, { chunk, entities }));
  return sealDay(d, { ...day, range, entities, chunks, exporterVersion: '0.1.0', nodeClientVersion: 'fake/1.0' });
}

async function objects(prefix: string): Promise<Map<string, Buffer>> {
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: server.bucket, Prefix: `${prefix}/` }));
  const out = new Map<string, Buffer>();
  for (const { Key } of listed.Contents ?? []) {
    const response = await s3.send(new GetObjectCommand({ Bucket: server.bucket, Key: Key! }));
    out.set(Key!, Buffer.from(await response.Body!.transformToByteArray()));
  }
  return out;
}

describe('lake round trip on s3rver with a fake exporter', () => {
  it('re-exporting a day rewrites byte-identical objects and manifest', async () => {
    const d = deps('twice');
    const first = await exportDay(d);
    const before = await objects('twice');
    const second = await exportDay(d);
    const after = await objects('twice');
    expect(second.manifestSha256).toBe(first.manifestSha256);
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [key, bytes] of before) expect(after.get(key)?.equals(bytes), key).toBe(true);
    // 3 chunks x 2 entities, 2 COPY manifests, 1 day manifest and its signature.
    expect(before.size).toBe(10);
    expect(first.manifest.files.map((f) => f.rows)).toEqual([10, 10, 5, 10, 10, 6]);
  });

  it('reads back the sealed manifest and the COPY manifests point at every file', async () => {
    const d = deps('read');
    const sealed = await exportDay(d);
    expect(await readDayManifest(d, day)).toEqual(sealed.manifest);
    expect(await findDayManifest(d, day)).toEqual({ key: sealed.manifestKey, sha256: sealed.manifestSha256, bytes: expect.any(Buffer), version: 1, manifest: sealed.manifest });
    expect(await readDayManifest(d, { ...day, date: '2024-02-01' })).toBeUndefined();
    const copy = JSON.parse((await objects('read')).get(sealed.copyManifestKeys.logs!)!.toString('utf8')) as { entries: Array<{ url: string; mandatory: boolean; meta: { content_length: number } }> };
    const logs = sealed.manifest.files.filter((f) => f.entity === 'logs');
    expect(copy.entries).toEqual(logs.map((f) => ({ url: `s3://${server.bucket}/${f.key}`, mandatory: true, meta: { content_length: f.bytes } })));
  });

  it('verifyDay agrees with an untouched day and reports a changed export', async () => {
    const d = deps('verify');
    const { manifest } = await exportDay(d);
    expect(await verifyDay(d, { manifest })).toEqual({ ok: true, mismatches: [], hashMismatches: [] });
    const changed = await verifyDay({ ...d, exporter: fakeExporter({ extraValue: 'x' }) }, { manifest });
    expect(changed.ok).toBe(false);
    expect(changed.mismatches.map((m) => m.key)).toEqual(manifest.files.filter((f) => f.entity === 'logs').map((f) => f.key));
    expect(changed.mismatches[0]).toMatchObject({ entity: 'logs', reason: expect.stringMatching(/^sha256 differs/), expectedRows: 10, actualRows: 10, expectedSha256: manifest.files.find((f) => f.entity === 'logs')!.sha256 });
    const reorged = await verifyDay({ ...d, exporter: fakeExporter({ forkFrom: 1_020 }) }, { manifest });
    expect(reorged.hashMismatches).toContainEqual(expect.objectContaining({ chunk: 2, field: 'lastBlockHash' }));
  });

  it('checkLakeObjects finds a tampered and a deleted object', async () => {
    const d = deps('tamper');
    const { manifest } = await exportDay(d);
    expect(await checkLakeObjects(d, manifest)).toEqual({ ok: true, problems: [] });
    const [victim, sameSize] = [manifest.files[0]!, manifest.files[1]!];
    await s3.send(new PutObjectCommand({ Bucket: server.bucket, Key: victim.key, Body: Buffer.from('not the data') }));
    const original = (await objects('tamper')).get(sameSize.key)!;
    const flipped = Buffer.from(original);
    flipped[20] = flipped[20]! ^ 0xff;
    await s3.send(new PutObjectCommand({ Bucket: server.bucket, Key: sameSize.key, Body: flipped }));
    const result = await checkLakeObjects(d, { ...manifest, files: [...manifest.files, { ...victim, key: 'tamper/missing.csv.gz' }] });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      { key: victim.key, problem: 'size', expected: victim.bytes, actual: 12 },
      expect.objectContaining({ key: sameSize.key, problem: 'sha256', expected: sameSize.sha256 }),
      { key: 'tamper/missing.csv.gz', problem: 'missing', expected: victim.sha256, actual: null },
    ]);
  });

  it('a failing export leaves no object behind and rethrows the cause', async () => {
    const d = deps('fail', fakeExporter({ failAt: 1_005 }));
    const [chunk] = planChunks(day.chainId, day.date, range, 10);
    await expect(exportChunkToLake(d, { chunk: chunk!, entities })).rejects.toThrow('fake node failed at block 1005');
    expect((await objects('fail')).size).toBe(0);
  });

  it('works the same when the exporter closes its sinks itself', async () => {
    const a = await exportDay(deps('closes-a'));
    const b = await exportDay(deps('closes-b', fakeExporter({ closesSinks: true })));
    expect(b.manifest.files.map((f) => f.sha256)).toEqual(a.manifest.files.map((f) => f.sha256));
  });

  it('refuses to seal chunks exported across a reorg', async () => {
    const d = deps('reorg');
    const [first, second] = planChunks(day.chainId, day.date, range, 10);
    const a = await exportChunkToLake(d, { chunk: first!, entities });
    const b = await exportChunkToLake({ ...d, exporter: fakeExporter({ forkFrom: 1_009 }) }, { chunk: second!, entities });
    const third = await exportChunkToLake({ ...d, exporter: fakeExporter({ forkFrom: 1_009 }) }, { chunk: planChunks(day.chainId, day.date, range, 10)[2]!, entities });
    await expect(sealDay(d, { ...day, range, entities, chunks: [a, b, third], exporterVersion: '0.1.0', nodeClientVersion: 'fake/1.0' })).rejects.toBeInstanceOf(
      ChainContinuityError,
    );
    expect([...(await objects('reorg')).keys()].some((key) => key.endsWith('manifest.json'))).toBe(false);
  });

  it('exportDayToLake skips a sealed day unless forced', async () => {
    const exporter = fakeExporter();
    const d = deps('orchestrate', exporter);
    const input = { ...day, range, entities, chunkSize: 10, exporterVersion: '0.1.0', nodeClientVersion: 'fake/1.0' };
    const first = await exportDayToLake(d, input);
    expect(first.skipped).toBe(false);
    expect(exporter.calls).toBe(3);
    const again = await exportDayToLake(d, input);
    expect(again).toEqual({ skipped: true, manifestKey: first.manifestKey, manifestSha256: first.manifestSha256 });
    expect(exporter.calls).toBe(3);
    const forced = await exportDayToLake(d, { ...input, force: true }, { concurrency: 3 });
    expect(forced).toMatchObject({ skipped: false, outcome: 'unchanged', manifestSha256: first.manifestSha256 });
    expect(exporter.calls).toBe(6);
  });

  it('exportDayToLake refuses an export with other bytes unless it supersedes, and then keeps the sealed version', async () => {
    const d = deps('supersede');
    const input = { ...day, range, entities, chunkSize: 10, exporterVersion: '0.1.0', nodeClientVersion: 'fake/1.0' };
    const first = await exportDayToLake(d, input);
    const sealedBytes = (await objects('supersede')).get(first.manifestKey)!;
    const changed = { ...d, exporter: fakeExporter({ extraValue: 'x' }) };
    await expect(exportDayToLake(changed, { ...input, force: true })).rejects.toThrow(
      new RegExp(`Refusing to overwrite sealed ${first.manifestKey}: stored sha256 ${first.manifestSha256}, new sha256 [0-9a-f]{64}`),
    );
    expect((await objects('supersede')).get(first.manifestKey)!.equals(sealedBytes)).toBe(true);
    const superseded = await exportDayToLake(changed, { ...input, supersede: { reason: 'log values corrected' } });
    expect(superseded).toMatchObject({ skipped: false, outcome: 'superseded', manifestKey: expect.stringMatching(/manifest\.v2\.json$/) });
    expect((await objects('supersede')).get(first.manifestKey)!.equals(sealedBytes)).toBe(true);
    expect((await findDayManifest(d, day))?.key).toBe(superseded.manifestKey);
  });

  it('exportDayToLake without a signing key refuses before exporting, unless unsigned', async () => {
    const exporter = fakeExporter();
    const { signer: _none, ...d } = deps('no-key', exporter);
    const input = { ...day, range, entities, chunkSize: 10, exporterVersion: '0.1.0', nodeClientVersion: 'fake/1.0' };
    await expect(exportDayToLake(d, input)).rejects.toThrow(/there is no signing key.*LEDGERFLOW_SIGNING_KEY.*--unsigned/);
    expect(exporter.calls).toBe(0);
    const sealed = await exportDayToLake(d, { ...input, unsigned: true });
    expect(sealed).toMatchObject({ skipped: false, manifest: { signing: { unsigned: true } } });
  });

  it('exportDayToLake stops at the first failing chunk and seals nothing', async () => {
    const exporter = fakeExporter({ failAt: 1_003 });
    const d = deps('orchestrate-fail', exporter);
    await expect(
      exportDayToLake(d, { ...day, range, entities, chunkSize: 2, exporterVersion: '0.1.0', nodeClientVersion: 'fake/1.0' }, { concurrency: 1 }),
    ).rejects.toThrow('fake node failed at block 1003');
    // Chunk 1000-1001 finished before the failure; the other 11 chunks never started.
    expect(exporter.calls).toBe(2);
    expect([...(await objects('orchestrate-fail')).keys()].filter((key) => key.includes('/manifests/'))).toEqual([]);
  });
});
