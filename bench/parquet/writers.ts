/**
 * Which Parquet writer library: each candidate writes the same mainnet-shaped transactions and
 * logs (bench/parquet/mainnetRows.ts) in a child process of its own, twice. Prints CPU ms per
 * 10k rows (the row generation's own cost, measured by the `rows only` line, subtracted), peak
 * RSS, output bytes, whether both runs gave identical bytes, and the share of the file written
 * before the last row group was handed over (near 100% = streams row groups, memory bounded).
 *
 *   npm run bench:parquet-writers -- [--blocks 200] [--group-rows 10000] [--candidates DIR]
 *
 * Candidates load from DIR's node_modules (default: this project), so the ones not chosen need
 * not be dependencies: `npm install --prefix DIR <the packages printed for a missing one>`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaOf } from '../../src/chain/entities/registry.js';
import type { Row } from '../../src/chain/rows.js';
import { positiveIntArg, stringArg } from '../args.js';
import { candidates, type Candidate, type WriteReport } from './candidates.js';
import { mainnetLogs, mainnetTransactions } from './mainnetRows.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface ChildResult {
  rows: number;
  cpuMs: number;
  maxRssMiB: number;
  bytes: number;
  bytesBeforeFinish: number;
  sha256: string;
}

const RUNNERS: Record<string, (dir: string) => Candidate> = Object.fromEntries(
  [...candidates(ROOT).map((c) => c.name), 'ledgerflow parquet sink', 'rows only'].map((name) => [name, (dir: string) => pick(name, dir)]),
);

function pick(name: string, dir: string): Candidate {
  if (name === 'rows only') return { name, packages: [], write: consumeOnly };
  if (name === 'ledgerflow parquet sink') return ledgerflowSink();
  const found = candidates(dir).find((c) => c.name === name);
  if (!found) throw new Error(`no candidate ${name}`);
  return found;
}

async function consumeOnly(_file: string, _columns: unknown, rows: Iterable<Row>): Promise<WriteReport> {
  let count = 0;
  for (const _row of rows) count++;
  return { rows: count, bytesBeforeFinish: 0 };
}

/** The project's own sink (src/lake/format/parquetSink.ts), as the export uses it. */
function ledgerflowSink(): Candidate {
  return {
    name: 'ledgerflow parquet sink',
    packages: [],
    async write(file, _columns, rows, groupRows) {
      const { createParquetFileSink } = await import('../../src/lake/format/parquetSink.js');
      const entity = path.basename(file).startsWith('logs') ? 'logs' : 'transactions';
      const sink = createParquetFileSink(file, entity, { rowGroupRows: groupRows });
      let count = 0;
      for (const row of rows) {
        const pending = sink.write(row);
        if (pending) await pending;
        count++;
      }
      const bytesBeforeFinish = sink.bytesWritten();
      await sink.close();
      return { rows: count, bytesBeforeFinish };
    },
  };
}

async function child(name: string, outDir: string, blocks: number, groupRows: number, dir: string): Promise<void> {
  const candidate = (RUNNERS[name] as (d: string) => Candidate)(dir);
  const before = process.cpuUsage();
  let rows = 0;
  let bytes = 0;
  let bytesBeforeFinish = 0;
  const hash = createHash('sha256');
  for (const [entity, make] of [['transactions', mainnetTransactions], ['logs', mainnetLogs]] as const) {
    const file = path.join(outDir, `${entity}.parquet`);
    const report = await candidate.write(file, schemaOf(entity), make({ blocks }), groupRows);
    rows += report.rows;
    bytesBeforeFinish += report.bytesBeforeFinish;
    if (name !== 'rows only') {
      const content = readFileSync(file);
      bytes += content.length;
      hash.update(content);
    }
  }
  const cpu = process.cpuUsage(before);
  const result: ChildResult = {
    rows,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    bytes,
    bytesBeforeFinish,
    sha256: hash.digest('hex'),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(name: string, blocks: number, groupRows: number, dir: string): ChildResult {
  const outDir = mkdtempSync(path.join(tmpdir(), 'parquet-writers-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', name, '--out', outDir, '--blocks', String(blocks), '--group-rows', String(groupRows), '--candidates', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 16 * 2 ** 20,
    });
    if (run.status !== 0) throw new Error(`${name} failed: ${run.stderr.trim().split('\n').slice(-5).join(' | ')}`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1) as string) as ChildResult;
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const blocks = positiveIntArg('blocks', 200);
  const groupRows = positiveIntArg('group-rows', 10_000);
  const dir = path.resolve(stringArg('candidates') ?? ROOT);
  const childName = stringArg('child');
  if (childName !== undefined) return child(childName, stringArg('out') as string, blocks, groupRows, dir);

  const baseline = runChild('rows only', blocks, groupRows, dir);
  process.stdout.write(`${blocks} mainnet-shaped blocks: ${baseline.rows} rows (transactions + logs), ${groupRows} rows a row group; rows only: ${baseline.cpuMs.toFixed(0)} ms CPU, ${baseline.maxRssMiB.toFixed(0)} MiB RSS\n`);
  process.stdout.write('writer | CPU ms / 10k rows | peak RSS MiB | output bytes | identical runs | written before finish\n');
  for (const name of Object.keys(RUNNERS).filter((n) => n !== 'rows only')) {
    let first: ChildResult;
    let second: ChildResult;
    try {
      first = runChild(name, blocks, groupRows, dir);
      second = runChild(name, blocks, groupRows, dir);
    } catch (error) {
      const packages = name === 'ledgerflow parquet sink' ? [] : pick(name, dir).packages;
      process.stdout.write(`${name} | not run: ${(error as Error).message.slice(0, 300)}${packages.length ? ` (npm install --prefix ${dir} ${packages.join(' ')})` : ''}\n`);
      continue;
    }
    const cpuMs = Math.min(first.cpuMs, second.cpuMs) - baseline.cpuMs;
    const per10k = (cpuMs * 10_000) / first.rows;
    const streamed = first.bytes > 0 ? (100 * first.bytesBeforeFinish) / first.bytes : 0;
    process.stdout.write(
      `${name} | ${per10k.toFixed(0)} | ${Math.max(first.maxRssMiB, second.maxRssMiB).toFixed(0)} | ${first.bytes} | ${first.sha256 === second.sha256 ? 'yes' : 'NO'} | ${streamed.toFixed(0)}%\n`,
    );
  }
}

await main();
