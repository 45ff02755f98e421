/**
 * Export benchmark: the same block range exported (a) with exportRange into CSV files and (b)
 * with a bare batched fetch loop that only downloads and parses the same JSON-RPC answers, each
 * against a local anvil chain and against an in-memory replay of it. Prints blocks/s, rows/s,
 * output MB/s, peak RSS, CPU use (share of a core, µs per block) and the ratio (a)/(b), measured
 * in this process. Against the replay it also runs (c), the lake's encoding (gzip CSV, hashed,
 * upload left out), and prints what each stage of the exporter's own work costs per block once
 * HTTP is taken away.
 *
 * anvil is seeded with at most --seed-blocks blocks (default: all, up to 4000; anvil's memory
 * grows past 20 GB seeding 20,000). A longer --blocks range is served by the replay as copies of
 * the seeded blocks (tiledChain.ts): that is how peak RSS is shown flat over range length.
 *
 *   npm run bench:export -- [--blocks 2000] [--rounds 3] [--seed-blocks N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportRange } from '../../src/chain/exportRange.js';
import { columnsOf } from '../../src/chain/entities/registry.js';
import { createRpcPool } from '../../src/chain/rpc/createRpcPool.js';
import type { EntityName } from '../../src/chain/types.js';
import { createFileSink } from '../../src/lake/fileSink.js';
import { csvFormat } from '../../src/lake/format/csvFormat.js';
import type { RowSink } from '../../src/lake/format/types.js';
import { createHashingLakeSink } from '../../src/lake/hashingLakeSink.js';
import { rawFetchLoop } from './rawFetchLoop.js';
import { formatStageCosts, measureStageCosts } from './stageCosts.js';
import { startAnvilChain } from './anvilChain.js';
import { startReplayProcess } from './startReplayProcess.js';

const ENTITIES: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers'];
const BLOCK_BATCH = 50;
const CALLS_PER_HTTP = 100;
const PREFETCH = 2;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

interface Measurement {
  seconds: number;
  rows: number;
  bytes: number;
  peakRssMb: number;
  /** CPU time of this process (user + system) over the run, in seconds. */
  cpuSeconds: number;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
  };
}

type Output = 'csv files' | 'lake gzip';

function openSinkFor(output: Output, dir: string) {
  return (entity: EntityName): RowSink =>
    output === 'csv files'
      ? createFileSink(path.join(dir, `${entity}.csv`), csvFormat, columnsOf(entity))
      : createHashingLakeSink({ key: `${entity}.csv.gz`, location: `discarded://${entity}`, format: 'csv', entity, columns: columnsOf(entity) });
}

async function runExport(url: string, blocks: number, output: Output = 'csv files', only?: { entities: EntityName[]; contracts?: string[] }): Promise<Measurement & { digests: string }> {
  const out = mkdtempSync(path.join(tmpdir(), 'ledgerflow-bench-'));
  const rpc = createRpcPool({ urls: [url], batchSize: CALLS_PER_HTTP, maxRetries: 0 });
  const stopRss = rssSampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    const result = await exportRange({
      rpc,
      range: { start: 0, end: blocks - 1 },
      entities: only?.entities ?? ENTITIES,
      openSink: openSinkFor(output, out),
      blockBatchSize: BLOCK_BATCH,
      prefetch: PREFETCH,
      ...(only?.contracts ? { contracts: only.contracts } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    const sinks = Object.values(result.sinks ?? {});
    const digests = sinks.map((s) => s.sha256).join(',');
    return { seconds, rows: sinks.reduce((n, s) => n + s.rows, 0), bytes: sinks.reduce((n, s) => n + s.bytes, 0), peakRssMb: stopRss(), cpuSeconds: cpuSince(cpu), digests };
  } finally {
    stopRss();
    await rpc.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** Baseline: the same requests in the same batches and pipeline depth; parse and drop. */
async function runRawFetch(url: string, blocks: number): Promise<Measurement> {
  const stopRss = rssSampler();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await rawFetchLoop(url, blocks, { blockBatch: BLOCK_BATCH, callsPerHttp: CALLS_PER_HTTP, prefetch: PREFETCH });
  const seconds = (performance.now() - started) / 1000;
  return { seconds, rows: 0, bytes, peakRssMb: stopRss(), cpuSeconds: cpuSince(cpu) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function compare(label: string, url: string, blocks: number, rounds: number, withLake = false, warmBlocks = Math.min(blocks, 200)) {
  const a: Measurement[] = [];
  const b: Measurement[] = [];
  const c: Measurement[] = [];
  await runRawFetch(url, warmBlocks);
  await runExport(url, Math.min(blocks, 200));
  for (let r = 0; r < rounds; r++) {
    b.push(await runRawFetch(url, blocks));
    a.push(await runExport(url, blocks));
  }
  // After (a) and (b), not between them: zlib's pool threads and garbage would disturb their pairing.
  for (let r = 0; withLake && r < rounds; r++) c.push(await runExport(url, blocks, 'lake gzip'));
  const ta = median(a.map((m) => m.seconds));
  const tb = median(b.map((m) => m.seconds));
  const last = a[a.length - 1] as Measurement;
  // CPU time per block is what a pod's CPU request pays for; it drifts less with the VM's speed than wall time.
  const busy = (ms: Measurement[]) =>
    `${Math.round(median(ms.map((m) => (100 * m.cpuSeconds) / m.seconds)))}% of one core, ${median(ms.map((m) => (m.cpuSeconds * 1e6) / blocks)).toFixed(0)} µs CPU per block`;
  console.log(`\n${label} (${blocks} blocks, median of ${rounds} rounds)`);
  console.log(`  (a) exportRange -> CSV files : ${(blocks / ta).toFixed(0)} blocks/s, ${(last.rows / ta).toFixed(0)} rows/s, ${(last.bytes / 2 ** 20 / ta).toFixed(1)} MB/s output, peak RSS ${Math.max(...a.map((m) => m.peakRssMb)).toFixed(0)} MB, CPU ${busy(a)}`);
  console.log(`  (b) raw batched fetch+parse : ${(blocks / tb).toFixed(0)} blocks/s, ${((b[0] as Measurement).bytes / 2 ** 20 / tb).toFixed(1)} MB/s JSON in, peak RSS ${Math.max(...b.map((m) => m.peakRssMb)).toFixed(0)} MB, CPU ${busy(b)}`);
  console.log(`  ratio (a)/(b) throughput    : ${(tb / ta).toFixed(2)}`);
  if (c.length > 0) {
    const tc = median(c.map((m) => m.seconds));
    console.log(`  (c) exportRange -> lake gzip : ${(blocks / tc).toFixed(0)} blocks/s, peak RSS ${Math.max(...c.map((m) => m.peakRssMb)).toFixed(0)} MB, CPU ${busy(c)}; ratio (c)/(b) ${(tb / tc).toFixed(2)}`);
  }
  return tb / ta;
}

/**
 * One contract's token transfers, as an analyst would ask for them: through the full path (block
 * headers and every receipt) and through --contracts (headers and eth_getLogs).
 * Both must write the same file.
 */
async function compareContractFilter(url: string, blocks: number, token: string, rounds: number) {
  const full: Measurement[] = [];
  const limited: Measurement[] = [];
  const entities: EntityName[] = ['token_transfers'];
  let identical = true;
  for (let r = 0; r < rounds; r++) {
    const a = await runExport(url, blocks, 'csv files', { entities });
    const b = await runExport(url, blocks, 'csv files', { entities, contracts: [token] });
    identical &&= a.digests === b.digests;
    full.push(a);
    limited.push(b);
  }
  const tf = median(full.map((m) => m.seconds));
  const tl = median(limited.map((m) => m.seconds));
  console.log(`\none contract's token_transfers against anvil (${blocks} blocks, median of ${rounds} rounds; this chain's every log is that token's)`);
  console.log(`  full path (headers, every receipt)         : ${(blocks / tf).toFixed(0)} blocks/s`);
  console.log(`  --contracts (headers, eth_getLogs)         : ${(blocks / tl).toFixed(0)} blocks/s; ratio ${(tf / tl).toFixed(2)}; same file: ${identical ? 'yes' : 'NO'}`);
}

const blocks = arg('blocks', 2000);
const rounds = arg('rounds', 3);
const seedBlocks = Math.min(blocks, arg('seed-blocks', Math.min(blocks, 4000)));
const seedStart = performance.now();
const chain = await startAnvilChain(seedBlocks);
console.log(`anvil chain: ${chain.blocks} blocks seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
const served = Math.max(blocks, chain.blocks);
const replay = await startReplayProcess(chain.url, chain.blocks, served);
if (served > chain.blocks) console.log(`replay: blocks ${chain.blocks}-${served - 1} are copies of the seeded blocks, renumbered and re-hashed`);
try {
  await compare('anvil', chain.url, chain.blocks, rounds);
  await compareContractFilter(chain.url, chain.blocks, chain.token, rounds);
  // A tiled replay builds each reply on first request: one full pass first, so no measured round pays for it.
  const ratio = await compare('in-memory replay (separate process)', replay.url, served, rounds, true, served > chain.blocks ? served : undefined);
  const stages = await measureStageCosts(replay.url, chain.blocks, ENTITIES, BLOCK_BATCH, rounds);
  console.log(`\nexporter's own work, µs of CPU per block without HTTP (median of ${rounds}; each step adds to the one before):`);
  console.log(formatStageCosts(stages));
  console.log(`\ntarget: ratio >= 0.85 against the replay: ${ratio >= 0.85 ? 'met' : 'NOT met'}`);
} finally {
  await replay.stop();
  await chain.stop();
}
