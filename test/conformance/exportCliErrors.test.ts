import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReplayServer, type ReplayFault } from '../support/replayServer.js';
import { runCli } from './support/runCli.js';

const BLOCKS = '/work/shared/fixtures/ethereum-etl/test_export_blocks_job/blocks_with_transactions';
const work = mkdtempSync(path.join(tmpdir(), 'ledgerflow-export-errors-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function outDir(): string {
  return path.join(work, `out${counter++}`);
}

function filesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** One line on stderr naming the problem and the fix, a non-zero exit and nothing left behind. */
async function expectCleanFailure(args: string[], message: RegExp, out: string): Promise<string> {
  const run = await runCli(['export', ...args, '--output', out]);
  expect(run.code).not.toBe(0);
  const lines = run.stderr.trim().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(filesIn(out)).toEqual([]);
  return lines[0] as string;
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/`;
}

describe('ledgerflow export rejects bad input cleanly', () => {
  const range = ['--start-block', '47218', '--end-block', '47219'];

  it('unknown entity: lists the valid ones', async () => {
    const line = await expectCleanFailure(['--rpc', 'http://127.0.0.1:1/', ...range, '--entities', 'blocks,blokcs'], /Unknown entity blokcs/, outDir());
    expect(line).toContain('blocks, transactions, receipts, logs, token_transfers');
  });

  it.each([
    ['with an entity not made of logs', ['--entities', 'transactions,logs', '--contracts', `0x${'aa'.repeat(20)}`], /contract filter applies to log entities only, not to transactions.*Fix:/],
    ['with an address that is not one', ['--contracts', '0xabc,0x12'], /Not a contract address: 0xabc, 0x12.*Fix: pass 0x-prefixed 20-byte hex addresses/],
    ['from a file that is not there', ['--contracts', '@/nonexistent/watchlist.txt'], /Cannot read the contract list \/nonexistent\/watchlist.txt: ENOENT.*Fix: pass --contracts @/],
  ])('--contracts %s', async (_label, args, message) => {
    await expectCleanFailure(['--rpc', 'http://127.0.0.1:1/', ...range, ...args], message, outDir());
  });

  it('end before start', async () => {
    await expectCleanFailure(['--rpc', 'http://127.0.0.1:1/', '--start-block', '10', '--end-block', '9'], /--end-block 9 is before --start-block 10.*Fix:/, outDir());
  });

  it.each([['abc'], ['-5'], ['1.5']])('non-numeric or negative block %s', async (value) => {
    await expectCleanFailure(['--rpc', 'http://127.0.0.1:1/', `--start-block=${value}`, '--end-block', '9'], /--start-block must be a non-negative integer.*Fix:/, outDir());
  });

  it('unreachable RPC: names the masked endpoint and what to check', async () => {
    const url = await closedPortUrl();
    const line = await expectCleanFailure(['--rpc', `${url}v3/abcdef0123456789abcdef0123456789`, ...range, '--retries', '0'], /unavailable.*Fix:/, outDir());
    expect(line).not.toContain('abcdef0123456789abcdef0123456789');
  });

  it('node lacking a method: every sink aborted', async () => {
    const server = await startReplayServer({ dirs: [BLOCKS] });
    try {
      await expectCleanFailure(['--rpc', server.url, ...range, '--entities', 'blocks,transactions,traces', '--retries', '0'], /trace_block is not available.*Fix: use a node that serves trace_block/, outDir());
    } finally {
      await server.close();
    }
  });

  it.each<[string, ReplayFault]>([
    ['malformed JSON', { type: 'body', body: '{"jsonrpc": "2.0", "id": 0, "result": ' }],
    ['truncated JSON', { type: 'truncate' }],
  ])('%s from the node', async (_label, fault) => {
    const server = await startReplayServer({ dirs: [BLOCKS], faults: () => fault });
    try {
      await expectCleanFailure(['--rpc', server.url, ...range, '--entities', 'blocks', '--retries', '0'], /RPC unavailable for .* answered malformed .*Fix:/, outDir());
    } finally {
      await server.close();
    }
  });
});
