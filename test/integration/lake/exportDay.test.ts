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
import { readDayManifest } from '../../../src/lake/readDayManifest.js';
import { verifyDay } from '../../../src/lake/verifyDay.js';

const run = promisify(execFile);
const stack = inject('stack');
const date = stack.LEDGERFLOW_DAYS.split(',')[0]!;
const chainId = Number(stack.CHAIN_ID);
// Other test files share the stack's bucket: keep this run's objects under their own prefix.
const prefix = `it-lake-${randomBytes(4).toString('hex')}`;
const env = { ...process.env, ...stack, S3_PREFIX: prefix, CHUNK_SIZE: '7', LOG_LEVEL: 'warn' };

let rpc: RpcPool;
let deps: LakeExportDeps;
let range: BlockRange;

beforeAll(async () => {
  rpc = createRpcPool({ urls: [stack.RPC_URL] });
  const s3 = createS3Client({ endpoint: stack.S3_ENDPOINT, credentials: { accessKeyId: stack.AWS_ACCESS_KEY_ID, secretAccessKey: stack.AWS_SECRET_ACCESS_KEY } });
  deps = { s3, rpc, lake: { bucket: stack.S3_BUCKET, prefix } };
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
    expect(second.skipped).toBe(false);
    expect(second.manifestSha256).toBe(manifestSha256);
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
    expect(verified.stdout).toContain(`object sha256\t${victim.key}`);
    expect(verified.stdout).toContain('FAILED');
  });
});
