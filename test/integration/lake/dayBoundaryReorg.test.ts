import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockRangeForDate } from '../../../src/chain/blockRange/blockRangeForDate.js';
import { createRpcPool, type RpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../../src/chain/types.js';
import { isRetryable } from '../../../src/errors/LedgerflowError.js';
import { createS3Client } from '../../../src/lake/createS3Client.js';
import { checkLakeObjects } from '../../../src/lake/checkLakeObjects.js';
import { DayBoundaryReorgError } from '../../../src/lake/errors.js';
import { exportDayToLake, type ExportDayDeps } from '../../../src/lake/exportDayToLake.js';
import { loadManifestSigner, loadTrustedKeys } from '../../../src/lake/manifestSignature.js';
import { findDayManifest } from '../../../src/lake/readDayManifest.js';
import { verifyChain } from '../../../src/lake/verifyChain.js';
import { anvilBinary } from '../../../src/stack/anvilNode.js';

// The shared stack's anvil serves other tests: this file reorgs an anvil of its own.
const stack = inject('stack');
const prefix = `it-reorg-${randomBytes(4).toString('hex')}`;
const entities: EntityName[] = ['blocks', 'transactions'];
const [day1, day2] = ['2024-03-01', '2024-03-02'];
const at = (date: string, seconds: number) => Date.parse(`${date}T00:00:00Z`) / 1000 + seconds;

let anvil: ChildProcess;
let url: string;
let rpc: RpcPool;
let deps: ExportDayDeps;

async function call<T>(method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function mineAt(timestamps: number[]): Promise<void> {
  for (const timestamp of timestamps) await call('evm_mine', [timestamp]);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function exportDay(date: string, options: { supersede?: { reason: string } } = {}) {
  const range = await blockRangeForDate(rpc, date, { finalityDepth: 64 });
  return exportDayToLake(deps, { chainId: 31337, date, range, entities, chunkSize: 5, exporterVersion: '0.0.0-test', nodeClientVersion: 'anvil', ...options });
}

/** Day 2's 10 blocks, one an hour, and a tail on day 3 long enough for anvil's finalized tag (head - 64) to pass it. */
async function mineDay2AndTail(): Promise<void> {
  await mineAt(Array.from({ length: 10 }, (_, i) => at(day2, 3600 * (i + 1))));
  await mineAt(Array.from({ length: 80 }, (_, i) => at('2024-03-03', 60 * (i + 1))));
}

beforeAll(async () => {
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  anvil = spawn(anvilBinary(), ['--host', '127.0.0.1', '--port', String(port), '--chain-id', '31337', '--timestamp', String(at('2024-02-29', 43_200)), '--accounts', '1'], {
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    try {
      await call('eth_chainId');
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  rpc = createRpcPool({ urls: [url] });
  const s3 = createS3Client({ endpoint: stack.S3_ENDPOINT, credentials: { accessKeyId: stack.AWS_ACCESS_KEY_ID, secretAccessKey: stack.AWS_SECRET_ACCESS_KEY } });
  deps = { s3, rpc, lake: { bucket: stack.S3_BUCKET, prefix }, signer: loadManifestSigner(stack.LEDGERFLOW_SIGNING_KEY) };
});
afterAll(async () => {
  deps?.s3.destroy();
  await rpc?.close();
  anvil?.kill();
});

describe('a reorg across a day boundary, on an anvil of its own', () => {
  it('refuses to seal day 2 on the new fork, and verify-chain passes once day 1 is re-exported and superseded', async () => {
    // Day 1: ten blocks, one an hour; a snapshot before its last block lets that block be re-mined.
    await mineAt(Array.from({ length: 9 }, (_, i) => at(day1, 3600 * (i + 1))));
    const beforeLast = await call<string>('evm_snapshot');
    await mineAt([at(day1, 36_000)]);
    await mineDay2AndTail();
    const sealed1 = await exportDay(day1);
    expect(sealed1).toMatchObject({ skipped: false, outcome: 'written', manifest: { range: { end: 10 }, previous: null } });

    // The reorg: day 1's last block is replaced by one a second later, and everything after it.
    expect(await call<boolean>('evm_revert', [beforeLast])).toBe(true);
    await mineAt([at(day1, 36_001)]);
    await mineDay2AndTail();
    const newLast = await call<{ hash: string }>('eth_getBlockByNumber', ['0xa', false]);
    expect(newLast.hash).not.toBe(sealed1.skipped ? '' : sealed1.manifest.lastBlockHash);

    const error = await exportDay(day2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DayBoundaryReorgError);
    expect(isRetryable(error)).toBe(false);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain(`Reorg across the day boundary: day ${day2}'s first block 11 has parentHash ${newLast.hash}`);
    expect(message).toContain(`day ${day1}'s sealed last block 10 is ${sealed1.skipped ? '' : sealed1.manifest.lastBlockHash}`);
    expect(message).toContain(`re-export day ${day1}`);
    expect(await findDayManifest(deps, { chainId: 31337, date: day2 })).toBeUndefined();

    // The remedy the error names: supersede day 1 with the new fork, then day 2 seals onto it.
    const superseded1 = await exportDay(day1, { supersede: { reason: 'reorg across 2024-03-01/2024-03-02' } });
    expect(superseded1).toMatchObject({ outcome: 'superseded', manifest: { lastBlockHash: newLast.hash } });
    // The superseding export wrote beside the sealed objects: version 1 still verifies, byte for byte.
    expect(superseded1.skipped ? [] : superseded1.manifest.files.every((f) => f.key.includes(`/date=${day1}/v2/`))).toBe(true);
    expect(sealed1.skipped ? undefined : (await checkLakeObjects(deps, sealed1.manifest)).problems).toEqual([]);
    const sealed2 = await exportDay(day2);
    expect(sealed2).toMatchObject({ outcome: 'written' });
    expect(sealed2.skipped ? undefined : sealed2.manifest).toMatchObject({ previous: { date: day1, manifestKey: superseded1.manifestKey, lastBlockHash: newLast.hash } });
    const chain = await verifyChain(deps, { chainId: 31337, from: day1, to: day2, trusted: loadTrustedKeys([stack.LEDGERFLOW_TRUSTED_KEYS]) });
    expect(chain.days.map((d) => d.problems)).toEqual([[], []]);
    expect(chain.ok).toBe(true);
  });
});
