/**
 * The headline benchmark: one dense, deterministic, mainnet-shaped anvil chain (denseChain.ts),
 * exported block for block by Ledgerflow (compiled CLI: CSV files, Parquet files, and the lake path to a local
 * s3rver), cryo (CSV and Parquet) and ethereum-etl when installed, and the bare fetch+parse loop.
 * Each runs as a child process under /usr/bin/time, one after another against the same anvil;
 * prints a markdown table per tool line and Ledgerflow's ratios to each of the others.
 *
 *   npm run bench:peers -- [--blocks 1000] [--rounds 1] [--skip-lake]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/stack/freePort.js';
import { s3Endpoint, startS3, stopS3, type S3Record } from '../../src/stack/s3Server.js';
import { CHAIN_DAY, startDenseChain, type DenseChain } from './denseChain.js';
import { measureSteps, type StepCost } from './measure.js';
import { summarizeOutput } from './outputs.js';
import { ratiosTable, resultsTable, type ToolResult } from './report.js';
import { positiveIntArg } from '../args.js';
import { bareLoop, cryoPeers, ethereumEtlPeer, ledgerflowCsv, ledgerflowLake, ledgerflowParquet, type Peer, type Tool } from './tools.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TX_PER_BLOCK = 160;
const ACCOUNTS = 200;

function newestMtime(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((newest, e) => Math.max(newest, statSync(path.join(e.parentPath, e.name)).mtimeMs), 0);
}

/** The compiled CLI is what is measured; a dist/ older than src/ would measure old code. */
function ensureBuilt(): void {
  const main = path.join(ROOT, 'dist/cli/main.js');
  let builtAt = 0;
  try {
    builtAt = statSync(main).mtimeMs;
  } catch {
    // missing: built below
  }
  if (builtAt >= newestMtime(path.join(ROOT, 'src'))) return;
  console.log(builtAt === 0 ? 'dist/ is missing: npm run build' : 'dist/ is older than src/: npm run build');
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
}

function quiet(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function measureTool(tool: Tool, chain: DenseChain, rounds: number, work: string, writes: boolean): Promise<ToolResult> {
  const { url, rangeEnd: end } = chain;
  const costs: StepCost[] = [];
  const nodeCpu: number[] = [];
  let output = { bytes: 0, rows: new Map<string, number>() };
  const logFile = path.join(work, `${tool.name.replace(/[^a-z0-9]+/gi, '-')}.log`);
  for (let r = 0; r < rounds; r++) {
    const out = mkdtempSync(path.join(work, 'out-'));
    const run = { url, end, out };
    const before = chain.cpuSeconds();
    costs.push(await measureSteps(tool.steps(run), logFile));
    nodeCpu.push(chain.cpuSeconds() - before);
    if (writes) output = await summarizeOutput(tool.outputOf?.(run) ?? out);
    rmSync(out, { recursive: true, force: true });
  }
  const cost = {
    wallSeconds: median(costs.map((c) => c.wallSeconds)),
    cpuSeconds: median(costs.map((c) => c.cpuSeconds)),
    peakRssMb: Math.max(...costs.map((c) => c.peakRssMb)),
  };
  const anvilCpuSeconds = median(nodeCpu);
  console.log(`  ${tool.name}: ${cost.wallSeconds.toFixed(1)} s wall, ${cost.cpuSeconds.toFixed(1)} s CPU, ${cost.peakRssMb.toFixed(0)} MB peak RSS; anvil ${anvilCpuSeconds.toFixed(1)} s CPU`);
  return { name: tool.name, cost, anvilCpuSeconds, output, writes };
}

const denseBlocks = positiveIntArg('blocks', 1000);
const rounds = positiveIntArg('rounds', 1);
const skipLake = process.argv.includes('--skip-lake');

ensureBuilt();
// Taken before the run: what dist/ was built from, even if the tree moves on while tools run.
const commit = quiet('git', ['rev-parse', '--short', 'HEAD']);
const dirty = quiet('git', ['status', '--porcelain', '--', 'src', 'package.json']) ? ' (uncommitted changes under src/ or package.json)' : '';
const peers: Peer[] = [...cryoPeers(), ethereumEtlPeer()];
for (const peer of peers) if (peer.missing) console.log(`skipped: ${peer.missing}`);

const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-peers-'));
const chain = await startDenseChain({ denseBlocks, txPerBlock: TX_PER_BLOCK, accounts: ACCOUNTS });
const blocks = chain.rangeEnd + 1;
console.log(`anvil: blocks 0-${chain.rangeEnd} (${denseBlocks} of ${TX_PER_BLOCK} transactions) seeded in ${chain.seedSeconds.toFixed(1)} s; block ${chain.rangeEnd} hash ${chain.lastHash}`);
let s3: S3Record | undefined;
let finished = false;
try {
  const tools: Array<{ tool: Tool; writes: boolean }> = [
    { tool: ledgerflowCsv, writes: true },
    { tool: ledgerflowParquet, writes: true },
  ];
  if (!skipLake) {
    // The stack's own S3 stand-in, alone: the lake path needs nothing else of the stack.
    const s3Dir = path.join(work, 's3rver');
    mkdirSync(s3Dir);
    s3 = await startS3({ dir: s3Dir, port: await freePort() });
    tools.push({ tool: ledgerflowLake({ endpoint: s3Endpoint(s3.port), directory: s3.directory }, CHAIN_DAY), writes: true });
  }
  for (const peer of peers) if (peer.tool) tools.push({ tool: peer.tool, writes: true });
  tools.push({ tool: bareLoop, writes: false });

  console.log(`\nexporting blocks 0-${chain.rangeEnd}, ${rounds} round(s) each (logs in ${work}):`);
  const results: ToolResult[] = [];
  for (const { tool, writes } of tools) results.push(await measureTool(tool, chain, rounds, work, writes));

  console.log(`\n## npm run bench:peers -- --blocks ${denseBlocks} --rounds ${rounds}${skipLake ? ' --skip-lake' : ''}\n`);
  console.log(`- machine: ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}`);
  console.log(`- date: ${new Date().toISOString()}; commit ${commit}${dirty}`);
  console.log(`- anvil: ${quiet(path.join(ROOT, 'node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil'), ['--version']).split('\n')[0]}; chain: ${blocks} blocks, last hash ${chain.lastHash}, seeded in ${chain.seedSeconds.toFixed(1)} s`);
  for (const peer of peers) if (peer.missing) console.log(`- skipped: ${peer.missing}`);
  console.log(`\n${resultsTable(results, blocks)}\n\nRatios (Ledgerflow / other; below 1 = Ledgerflow needs less):\n\n${ratiosTable(results)}`);
  finished = true;
} finally {
  if (s3) await stopS3(s3);
  await chain.stop();
  // A failed run keeps its tools' logs.
  if (finished) rmSync(work, { recursive: true, force: true });
  else console.error(`logs kept in ${work}`);
}
