/**
 * Start-up benchmark: wall time and peak RSS of the compiled CLI's help screens, each run as a
 * fresh process, against node's bare start (`node -e ""`) measured in the same run, so the ratios
 * hold when the machine's speed drifts. Runs are interleaved (baseline, then each command, per
 * round) after one warm-up round. Target (issue 14): each help at most 300 ms and 100 MB.
 *
 *   npm run build && npm run bench:startup -- [--runs 10] [--tsx]
 *
 * `node bin/ledgerflow.js` is what `npx ledgerflow` runs: dist/ when it is current. --tsx adds the
 * same commands with LEDGERFLOW_FROM_SOURCE=1 (TypeScript sources through tsx, as in development).
 * Peak RSS comes from GNU time (/usr/bin/time) when present, else from the child's own
 * getrusage reported at exit by a preloaded module (which itself adds a little to every row).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { positiveIntArg } from '../args.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const DIST_MAIN = path.join(ROOT, 'dist/cli/main.js');
const BIN = path.join(ROOT, 'bin/ledgerflow.js');
const GNU_TIME = '/usr/bin/time';
// Written to fd 3 at exit: the child's peak RSS in KiB (getrusage ru_maxrss).
const RSS_REPORTER = `data:text/javascript,${encodeURIComponent("import{writeSync}from'node:fs';process.on('exit',()=>writeSync(3,String(process.resourceUsage().maxRSS)))")}`;

interface Case {
  label: string;
  args: string[];
  env?: Record<string, string>;
}

interface Sample {
  wallMs: number;
  rssKiB: number;
}

const runs = positiveIntArg('runs', 10);
const withTsx = process.argv.includes('--tsx');

if (!existsSync(DIST_MAIN)) {
  process.stderr.write('bench:startup: dist/cli/main.js is missing; run `npm run build` first\n');
  process.exit(1);
}
const stale = newestMtime(path.join(ROOT, 'src/cli')) > statSync(DIST_MAIN).mtimeMs;
if (stale) process.stderr.write('bench:startup: src/cli changed after the last build; the figures are for the old dist/ (run `npm run build`)\n');

const HELPS = [['--help'], ['block-range', '--help'], ['export', '--help']];
const cases: Case[] = [
  { label: 'node -e ""', args: ['-e', ''] },
  ...HELPS.map((help) => ({ label: `node dist/cli/main.js ${help.join(' ')}`, args: [DIST_MAIN, ...help] })),
  ...HELPS.map((help) => ({ label: `node bin/ledgerflow.js ${help.join(' ')}`, args: [BIN, ...help] })),
  ...(withTsx
    ? HELPS.map((help) => ({ label: `LEDGERFLOW_FROM_SOURCE=1 node bin/ledgerflow.js ${help.join(' ')}`, args: [BIN, ...help], env: { LEDGERFLOW_FROM_SOURCE: '1' } }))
    : []),
];

const useGnuTime = existsSync(GNU_TIME);
const scratch = mkdtempSync(path.join(tmpdir(), 'ledgerflow-startup-'));
const timeOutput = path.join(scratch, 'rss');
const samples = new Map<string, Sample[]>(cases.map((c) => [c.label, []]));
for (let round = 0; round <= runs; round++) {
  for (const c of cases) {
    const sample = measure(c.args, c.env);
    if (round > 0) samples.get(c.label)?.push(sample);
  }
}

rmSync(scratch, { recursive: true, force: true });

const baseline = summary(samples.get(cases[0]!.label)!);
process.stdout.write(
  `start-up, ${runs} runs each after 1 warm-up, median; node ${process.version}, ${process.platform}/${process.arch}; peak RSS from ${useGnuTime ? 'GNU time' : 'getrusage at exit'}\n`,
);
const header = ['command', 'wall ms', 'peak RSS MiB', 'wall / node -e ""', 'RSS / node -e ""'];
const rows = cases.map((c) => {
  const s = summary(samples.get(c.label)!);
  return [c.label, s.wallMs.toFixed(0), (s.rssKiB / 1024).toFixed(1), `${(s.wallMs / baseline.wallMs).toFixed(2)}x`, `${(s.rssKiB / baseline.rssKiB).toFixed(2)}x`];
});
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const row of [header, ...rows]) {
  process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}\n`);
}

function measure(args: readonly string[], extraEnv: Record<string, string> = {}): Sample {
  const env = { ...process.env, ...extraEnv };
  const started = performance.now();
  const child = useGnuTime
    ? spawnSync(GNU_TIME, ['-f', '%M', '-o', timeOutput, process.execPath, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] })
    : spawnSync(process.execPath, ['--import', RSS_REPORTER, ...args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit', 'pipe'] });
  const wallMs = performance.now() - started;
  if (child.error) throw child.error;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${child.status ?? child.signal}`);
  const report = useGnuTime ? readFileSync(timeOutput, 'utf8') : String(child.output[3]);
  const rssKiB = Number(report.trim().split('\n').at(-1));
  if (!Number.isFinite(rssKiB) || rssKiB <= 0) throw new Error(`no peak RSS reported for node ${args.join(' ')}`);
  return { wallMs, rssKiB };
}

function summary(list: readonly Sample[]): Sample {
  return { wallMs: median(list.map((s) => s.wallMs)), rssKiB: median(list.map((s) => s.rssKiB)) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}
