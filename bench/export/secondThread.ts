/**
 * Second-thread experiment (not the product): would a worker thread doing half the batches lift
 * the export past the bare fetch loop's 0.85? Per round, against the in-memory replay:
 *   (b) the bare fetch loop of bench/export/run.ts;
 *   one thread: fetch, checks, rows and CSV text for every batch on the main thread;
 *   two threads: the same, with every other batch done by one worker thread;
 * both write the text to files with sha256 on the main thread (and must give the same digests).
 *
 *   npm run bench:export:threads -- [--blocks 2000] [--rounds 6]
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createRpcPool } from '../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../src/chain/types.js';
import { startAnvilChain } from './anvilChain.js';
import { rawFetchLoop } from './rawFetchLoop.js';
import { batchText } from './secondThread/batchText.js';
import { startReplayProcess } from './startReplayProcess.js';

const ENTITIES: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers'];
const BLOCK_BATCH = 50;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

type Reply = { id: number; texts: string[] } | { id: number; error: string };

function startWorker(url: string) {
  const worker = new Worker(new URL('./secondThread/worker.mjs', import.meta.url), { workerData: { url, entities: ENTITIES } });
  const waiting = new Map<number, { resolve: (texts: string[]) => void; reject: (error: Error) => void }>();
  worker.on('message', (reply: Reply) => {
    const entry = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) entry?.reject(new Error(reply.error));
    else entry?.resolve(reply.texts);
  });
  let nextId = 0;
  return {
    run: (first: number, last: number) =>
      new Promise<string[]>((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, first, last });
      }),
    stop: () => worker.terminate(),
  };
}

async function exportText(url: string, blocks: number, worker: ReturnType<typeof startWorker> | undefined): Promise<{ seconds: number; digest: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'ledgerflow-threads-'));
  const rpc = createRpcPool({ urls: [url], batchSize: 100, maxRetries: 0 });
  const files = ENTITIES.map((e) => createWriteStream(path.join(out, `${e}.csv`), { highWaterMark: 1024 * 1024 }));
  const hashes = ENTITIES.map(() => createHash('sha256'));
  const started = performance.now();
  try {
    const pending: Array<Promise<string[]>> = [];
    let next = 0;
    let step = 0;
    // Two steps in flight per thread, as the exporter keeps two.
    const depth = worker ? 4 : 2;
    const fill = () => {
      while (pending.length < depth && next < blocks) {
        const last = Math.min(blocks - 1, next + BLOCK_BATCH - 1);
        const job = worker && step % 2 === 1 ? worker.run(next, last) : batchText(rpc, next, last, ENTITIES);
        job.catch(() => undefined);
        pending.push(job);
        next += BLOCK_BATCH;
        step++;
      }
    };
    fill();
    while (pending.length > 0) {
      const texts = await (pending.shift() as Promise<string[]>);
      fill();
      for (let k = 0; k < ENTITIES.length; k++) {
        const buffer = Buffer.from(texts[k] as string, 'utf8');
        hashes[k]?.update(buffer);
        const file = files[k];
        if (file && !file.write(buffer)) await new Promise<void>((resolve) => file.once('drain', () => resolve()));
      }
    }
    await Promise.all(files.map((file) => new Promise((resolve) => file.end(resolve))));
    const seconds = (performance.now() - started) / 1000;
    return { seconds, digest: createHash('sha256').update(hashes.map((h) => h.digest('hex')).join(',')).digest('hex') };
  } finally {
    await rpc.close();
    rmSync(out, { recursive: true, force: true });
  }
}

const blocks = arg('blocks', 2000);
const rounds = arg('rounds', 6);
const chain = await startAnvilChain(blocks);
const replay = await startReplayProcess(chain.url, chain.blocks);
await chain.stop();
const worker = startWorker(replay.url);
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
try {
  await rawFetchLoop(replay.url, Math.min(blocks, 200), { blockBatch: BLOCK_BATCH, callsPerHttp: 100, prefetch: 2 });
  await exportText(replay.url, Math.min(blocks, 200), worker);
  console.log(`in-memory replay, ${blocks} blocks; ratio = bare loop time / export time`);
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    await rawFetchLoop(replay.url, blocks, { blockBatch: BLOCK_BATCH, callsPerHttp: 100, prefetch: 2 });
    const bare = (performance.now() - t0) / 1000;
    const one = await exportText(replay.url, blocks, undefined);
    const two = await exportText(replay.url, blocks, worker);
    console.log(
      `  round ${r + 1}: one thread ${(bare / one.seconds).toFixed(2)}, two threads ${(bare / two.seconds).toFixed(2)}, ` +
        `same output: ${one.digest === two.digest ? 'yes' : 'NO'}, peak RSS so far ${(peakRss / 2 ** 20).toFixed(0)} MB`,
    );
  }
} finally {
  clearInterval(sampler);
  await worker.stop();
  await replay.stop();
}
