/**
 * What an export worker holds when it runs several chunk exports at once, as the export
 * Deployment does (LEDGERFLOW_EXPORT_SLOTS): `--chunks` chunks of `--chunk-blocks` blocks each,
 * all started together, each through the lake path (deterministic gzip CSV streamed as an S3
 * multipart upload to a local s3rver in its own process). The chain is anvil with dense,
 * mainnet-sized blocks (bench/export/anvilChain.ts, 150 transactions a block by default), or any
 * node given with --rpc. Prints the process's peak RSS (sampled every 20 ms), its CPU time and
 * the rows written; the figures size the export Deployment's memory request and limit.
 *
 *   npm run bench:worker-memory -- [--chunks 4] [--chunk-blocks 250] [--tx-per-block 150] [--rpc URL]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRpcPool } from '../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../src/chain/types.js';
import { createS3Client } from '../../src/lake/createS3Client.js';
import { exportChunkToLake } from '../../src/lake/exportChunkToLake.js';
import { freePort } from '../../src/stack/freePort.js';
import { S3_BUCKET, S3RVER_CREDENTIALS, s3Endpoint, startS3, stopS3 } from '../../src/stack/s3Server.js';
import { positiveIntArg, stringArg } from '../args.js';
import { startAnvilChain, type AnvilChain } from './anvilChain.js';

const ENTITIES: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers'];

const chunks = positiveIntArg('chunks', 4);
const chunkBlocks = positiveIntArg('chunk-blocks', 250);
const txPerBlock = positiveIntArg('tx-per-block', 150);
const givenRpc = stringArg('rpc');

const scratch = mkdtempSync(path.join(tmpdir(), 'ledgerflow-worker-memory-'));
let chain: AnvilChain | undefined;
const s3 = await startS3({ dir: scratch, port: await freePort() });
try {
  let url = givenRpc;
  if (!url) {
    const seeding = performance.now();
    chain = await startAnvilChain(chunks * chunkBlocks + 1, txPerBlock);
    url = chain.url;
    process.stdout.write(`anvil seeded with ${chain.blocks} blocks of ${txPerBlock} transactions in ${((performance.now() - seeding) / 1000).toFixed(1)} s\n`);
  }
  const rpc = createRpcPool({ urls: [url], maxRetries: 2 });
  const client = createS3Client({ endpoint: s3Endpoint(s3.port), credentials: S3RVER_CREDENTIALS });
  const deps = { rpc, s3: client, lake: { bucket: S3_BUCKET, prefix: 'bench' } };

  // Start from a collected heap so the peak is what the chunks add to a worker at rest.
  globalThis.gc?.();
  const restRss = process.memoryUsage().rss;
  let peak = restRss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: chunks }, (_, index) =>
      exportChunkToLake(deps, {
        chunk: { chainId: 31337, date: '2024-01-01', index, range: { start: 1 + index * chunkBlocks, end: (index + 1) * chunkBlocks } },
        entities: ENTITIES,
      }),
    ),
  );
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await rpc.close();
  client.destroy();

  const rows = results.reduce((sum, r) => sum + r.files.reduce((s, f) => s + f.rows, 0), 0);
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  process.stdout.write(
    [
      `${chunks} chunks x ${chunkBlocks} blocks at once, lake path (gzip CSV, S3 multipart to s3rver), node ${process.version}`,
      `rows ${rows}, ${seconds.toFixed(1)} s, CPU ${((used.user + used.system) / 1e6).toFixed(1)} s`,
      `RSS at rest ${mib(restRss)} MiB, peak ${mib(peak)} MiB (bench process, tsx loaded)`,
      '',
    ].join('\n'),
  );
} finally {
  await chain?.stop();
  await stopS3(s3);
  rmSync(scratch, { recursive: true, force: true });
}
