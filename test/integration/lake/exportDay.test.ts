import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockRangeForDate } from '../../../src/chain/blockRange/blockRangeForDate.js';
import { createRpcPool, type RpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import { rpcClientVersion } from '../../../src/chain/rpc/rpcClientVersion.js';
import { DEFAULT_DAILY_ENTITIES, type BlockRange } from '../../../src/chain/types.js';
import { checkLakeObjects } from '../../../src/lake/checkLakeObjects.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { exportDayToLake } from '../../../src/lake/exportDayToLake.js';
import { exporterVersion } from '../../../src/lake/exporterVersion.js';
import type { LakeExportDeps } from '../../../src/lake/lakeDeps.js';
import { loadManifestSigner, type ManifestSigner } from '../../../src/lake/manifestSignature.js';
import { findDayManifest, readDayManifest } from '../../../src/lake/readDayManifest.js';
import { verifyDay } from '../../../src/lake/verifyDay.js';

const run = promisify(execFile);
const stack = inject('stack');
const date = stack.LEDGERFLOW_DAYS.split(',')[0]!;
const chainId = Number(stack.CHAIN_ID);
// Other test files share the stack's bucket: keep this run's objects under their own prefix.
const prefix = `it-lake-${randomBytes(4).toString('hex')}`;
const env = { ...process.env, ...stack, S3_PREFIX: prefix, CHUNK_SIZE: '7', LOG_LEVEL: 'warn' };

let rpc: RpcPool;
let deps: LakeExportDeps & { signer: ManifestSigner };
let range: BlockRange;

beforeAll(async () => {
  rpc = createRpcPool({ urls: [stack.RPC_URL] });
  const s3 = createS3Client({ endpoint: stack.S3_ENDPOINT, credentials: { accessKeyId: stack.AWS_ACCESS_KEY_ID, secretAccessKey: stack.AWS_SECRET_ACCESS_KEY } });
  deps = { s3, rpc, lake: { bucket: stack.S3_BUCKET, prefix }, signer: loadManifestSigner(stack.LEDGERFLOW_SIGNING_KEY) };
  range = await blockRangeForDate(rpc, date, { finalityDepth: Number(stack.FINALITY_DEPTH) });
});
afterAll(async () => {
  deps?.s3.destroy();
  await rpc?.close();
});

async function snapshot(): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  let token: string | undefined;
  do {
    const page = await deps.s3.send(new ListObjectsV2Command({ Bucket: stack.S3_BUCKET, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const { Key } of page.Contents ?? []) {
      const response = await deps.s3.send(new GetObjectCommand({ Bucket: stack.S3_BUCKET, Key: Key! }));
      out.set(Key!, Buffer.from(await response.Body!.transformToByteArray()));
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

function cli(...args: string[]) {
  return run(process.execPath, ['bin/ledgerflow.js', 'lake', ...args], { env, cwd: process.cwd() }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => ({ code: failed.code, stdout: failed.stdout, stderr: failed.stderr }),
  );
}

describe('lake on the local stack', () => {
  it('exports a generated day twice (CLI, then library) to byte-identical objects and manifest', async () => {
    const first = await cli('export-day', '--date', date);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const [manifestKey, manifestSha256] = first.stdout.trim().split(' ');
    expect(manifestKey).toBe(`${prefix}/chain=${chainId}/manifests/date=${date}/manifest.json`);
    const before = await snapshot();

    const second = await exportDayToLake(deps, {
      chainId,
      date,
      range,
      entities: DEFAULT_DAILY_ENTITIES,
      chunkSize: 7,
      exporterVersion: exporterVersion(),
      nodeClientVersion: await rpcClientVersion(rpc),
      force: true,
    });
    expect(second).toMatchObject({ skipped: false, outcome: 'unchanged', manifestSha256 });
    const after = await snapshot();
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [key, bytes] of before) expect(after.get(key)!.equals(bytes), key).toBe(true);

    const manifest = (await readDayManifest(deps, { chainId, date }))!;
    expect(manifest.range).toEqual(range);
    expect(manifest.entities).toEqual([...DEFAULT_DAILY_ENTITIES]);
    const chunks = Math.ceil((range.end - range.start + 1) / 7);
    expect(manifest.chunks).toHaveLength(chunks);
    expect(manifest.files).toHaveLength(chunks * DEFAULT_DAILY_ENTITIES.length);
    const blockRows = manifest.files.filter((f) => f.entity === 'blocks').reduce((sum, f) => sum + f.rows, 0);
    expect(blockRows).toBe(range.end - range.start + 1);
    expect(manifest.files.filter((f) => f.entity === 'transactions').reduce((sum, f) => sum + f.rows, 0)).toBeGreaterThan(0);

    const again = await cli('export-day', '--date', date);
    expect(again.stdout.trim()).toBe(`${manifestKey} ${manifestSha256}`);
    const noReason = await cli('export-day', '--date', date, '--force');
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain('--force supersedes the sealed manifest and needs --reason');
    // Superseding with an export that gives the same bytes changes nothing.
    const forced = await cli('export-day', '--date', date, '--force', '--reason', 'test: same bytes');
    expect(forced.code).toBe(0);
    expect(forced.stdout.trim()).toBe(`${manifestKey} ${manifestSha256}`);
    expect([...(await snapshot()).keys()].filter((k) => k.includes('manifest.v'))).toEqual([]);
    // The superseding export wrote beside the sealed objects, and its unneeded copies are gone.
    expect([...(await snapshot()).keys()].filter((k) => k.includes('/v2/'))).toEqual([]);
  });

  it('`lake verify` and `lake verify-chain` accept the signed day', async () => {
    const verified = await cli('verify', '--date', date, '--objects-only');
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(new RegExp(`^signature\t${prefix}/chain=${chainId}/manifests/date=${date}/manifest\.json\tvalid\tkey=[0-9a-f]{16}`, 'm'));
    expect(verified.stdout).not.toContain('mismatch');
    const chain = await cli('verify-chain', '--from', date, '--to', date, '--chain-id', String(chainId));
    expect(chain.code).toBe(0);
    expect(chain.stdout).toContain(`ok\tchain ${chainId}\t${date}..${date}\t1 days linked`);
  });

  it('verifyDay re-exports the day and agrees with the manifest', async () => {
    const manifest = (await readDayManifest(deps, { chainId, date }))!;
    const result = await verifyDay(deps, { manifest });
    expect(result).toEqual({ ok: true, mismatches: [], hashMismatches: [] });
    expect(await checkLakeObjects(deps, manifest)).toEqual({ ok: true, problems: [] });
  });

  it('detects a tampered object, and `lake verify` fails naming it', async () => {
    const manifest = (await readDayManifest(deps, { chainId, date }))!;
    const victim = manifest.files.find((f) => f.entity === 'transactions' && f.rows > 0)!;
    const original = (await snapshot()).get(victim.key)!;
    const tampered = Buffer.from(original);
    tampered[tampered.length - 9] = tampered[tampered.length - 9]! ^ 0x01;
    await deps.s3.send(new PutObjectCommand({ Bucket: stack.S3_BUCKET, Key: victim.key, Body: tampered }));

    const checked = await checkLakeObjects(deps, manifest);
    expect(checked.problems).toEqual([expect.objectContaining({ key: victim.key, problem: 'sha256', expected: victim.sha256 })]);
    const verified = await cli('verify', '--date', date, '--objects-only');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toContain(`object mismatch\t${victim.key}\tsha256`);
    expect(verified.stdout).toContain('FAILED');
  });

  it('a tampered manifest fails its signature in `lake verify` and `lake verify-chain`', async () => {
    const found = (await findDayManifest(deps, { chainId, date }))!;
    const tampered = found.bytes.toString('utf8').replace(/"rows": (\d+)/, (_, n: string) => `"rows": ${Number(n) + 1}`);
    expect(tampered).not.toBe(found.bytes.toString('utf8'));
    await deps.s3.send(new PutObjectCommand({ Bucket: stack.S3_BUCKET, Key: found.key, Body: tampered }));
    const verified = await cli('verify', '--date', date, '--objects-only');
    expect(verified.code).toBe(1);
    expect(verified.stdout).toMatch(new RegExp(`^signature mismatch\t${found.key}\tinvalid`, 'm'));
    const chain = await cli('verify-chain', '--from', date, '--to', date, '--chain-id', String(chainId));
    expect(chain.code).toBe(1);
    expect(chain.stdout).toContain(`chain mismatch\tfirst break ${date}: signature invalid`);
  });
});
