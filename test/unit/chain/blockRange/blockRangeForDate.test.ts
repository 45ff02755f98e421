import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { blockRangeForDate } from '../../../../src/chain/blockRange/blockRangeForDate.js';
import { BlockTimestampIndex } from '../../../../src/chain/blockRange/blockTimestampIndex.js';
import { DateBeforeChainError, DayNotFinalError, NoBlocksOnDateError } from '../../../../src/chain/blockRange/errors.js';
import { createRpcPool, type RpcPool } from '../../../../src/chain/rpc/createRpcPool.js';
import { InvalidInputError } from '../../../../src/errors/LedgerflowError.js';
import { startReplayServer, type ReplayServer } from '../../../support/replayServer.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const DAY = 86_400;
const utc = (date: string) => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 1000;
const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

/** Deterministic pseudo-random numbers (mulberry32), so the synthetic chain is the same every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A chain of timestamps: genesis, then block 1 at `firstTs`, then gaps from `gap()`. */
function chain(genesisTs: number, firstTs: number, blocks: number, gap: (n: number) => number): number[] {
  const ts = [genesisTs, firstTs];
  for (let n = 2; n < blocks; n++) ts.push((ts[n - 1] as number) + gap(n));
  return ts;
}

/** Serves eth_getBlockByNumber [n|latest, false] for the synthetic chain over real HTTP. */
async function serveChain(timestamps: number[]): Promise<{ server: ReplayServer; rpc: RpcPool }> {
  const head = timestamps.length - 1;
  const server = await startReplayServer({
    handle: (method, params) => {
      if (method !== 'eth_getBlockByNumber') return undefined;
      // A node without the `finalized` tag (the depth rule applies): null for any other tag.
      const n = params[0] === 'latest' ? head : /^0x[0-9a-f]+$/.test(String(params[0])) ? Number.parseInt(String(params[0]), 16) : -1;
      const ts = timestamps[n];
      return ts === undefined ? null : { number: `0x${n.toString(16)}`, timestamp: `0x${ts.toString(16)}`, hash: `0x${n.toString(16).padStart(64, '0')}` };
    },
  });
  const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
  cleanups.push(() => server.close(), () => rpc.close());
  return { server, rpc };
}

/** The definition in the ethereum-etl spec, by brute force. */
function expectedRange(timestamps: number[], date: string): { start: number; end: number } | 'none' {
  const start = utc(date);
  const end = start + DAY - 1;
  let first = timestamps.findIndex((ts, n) => n >= 1 && ts >= start);
  let last = -1;
  for (let n = 1; n < timestamps.length; n++) if ((timestamps[n] as number) <= end) last = n;
  if (first === -1 || last < first) return 'none';
  if (first === 1) first = 0;
  return { start: first, end: last };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('blockRangeForDate on a synthetic chain over HTTP', () => {
  const random = prng(42);
  // Mainnet-like: genesis at timestamp 0, block 1 on 2015-07-30 15:26:28, 1-40 s gaps, a quiet
  // stretch of 6 minutes now and then.
  const mainnetLike = chain(0, 1438269988, 40_000, (n) => (n % 5000 === 0 ? 360 : 1 + Math.floor(random() * 40)));

  it('matches the ethereum-etl definition for every whole day, with few calls', async () => {
    const { server, rpc } = await serveChain(mainnetLike);
    const firstDay = utc('2015-07-30');
    const lastTs = mainnetLike[mainnetLike.length - 1] as number;
    const days: string[] = [];
    for (let d = firstDay; d + DAY <= lastTs - 3_000; d += DAY) days.push(isoDay(d));
    expect(days.length).toBeGreaterThanOrEqual(5);
    for (const date of days) {
      const before = server.requests.length;
      const range = await blockRangeForDate(rpc, date, { finalityDepth: 10 });
      expect(range).toEqual(expectedRange(mainnetLike, date));
      expect(server.requests.length - before).toBeLessThan(50);
    }
    expect((await blockRangeForDate(rpc, '2015-07-30', { finalityDepth: 10 })).start).toBe(0);
  });

  it('shares cached timestamps across dates through one index', async () => {
    const { server, rpc } = await serveChain(mainnetLike);
    const index = new BlockTimestampIndex(rpc);
    const first = await blockRangeForDate(rpc, '2015-07-31', { finalityDepth: 10, index });
    const afterFirst = server.requests.length;
    const second = await blockRangeForDate(rpc, '2015-08-01', { finalityDepth: 10, index });
    expect(second.start).toBe(first.end + 1);
    expect(server.requests.length - afterFirst).toBeLessThan(afterFirst);
  });

  it('handles equal consecutive timestamps (dev chains) and a day that starts exactly on a block', async () => {
    const start = utc('2024-03-01');
    const timestamps = chain(start - 5_000, start - 4_000, 30_000, (n) => (n % 3 === 0 ? 0 : 12));
    const exact = timestamps.findIndex((ts) => ts >= start + DAY);
    timestamps[exact] = start + DAY; // next day's first block exactly at midnight
    for (let n = exact + 1; n < timestamps.length; n++) timestamps[n] = Math.max(timestamps[n] as number, start + DAY);
    const { rpc } = await serveChain(timestamps);
    for (const date of ['2024-03-01', '2024-03-02']) {
      expect(await blockRangeForDate(rpc, date, { finalityDepth: 64 })).toEqual(expectedRange(timestamps, date));
    }
  });

  it('refuses a date before the first block', async () => {
    const { rpc } = await serveChain(mainnetLike);
    const error = await rejection(blockRangeForDate(rpc, '2015-07-29', { finalityDepth: 10 }));
    expect(error).toBeInstanceOf(DateBeforeChainError);
    expect(error.message).toContain('2015-07-30T15:26:28.000Z');
  });

  it('refuses today: the next day has no block yet, and says roughly when to retry', async () => {
    const { rpc } = await serveChain(mainnetLike);
    const lastTs = mainnetLike[mainnetLike.length - 1] as number;
    const today = isoDay(lastTs);
    const error = (await rejection(blockRangeForDate(rpc, today, { finalityDepth: 10 }))) as DayNotFinalError;
    expect(error).toBeInstanceOf(DayNotFinalError);
    expect(error.retryable).toBe(true);
    expect(error.fields.nextDayFirstBlock).toBeUndefined();
    expect(error.fields.neededHead).toBeGreaterThan(mainnetLike.length - 1 + 10);
    expect(Date.parse(error.fields.retryAfter)).toBeGreaterThan((utc(today) + DAY) * 1000);
    expect(error.message).toMatch(/retry after about \d{4}-\d{2}-\d{2}T/);
  });

  it('refuses a day whose next-day first block is not finalityDepth below the head', async () => {
    const start = utc('2024-03-01');
    const timestamps = chain(start - 100, start - 50, 7_300, () => 12);
    const nextDayFirst = timestamps.findIndex((ts) => ts >= start + DAY);
    const head = timestamps.length - 1;
    const { rpc } = await serveChain(timestamps);
    const depth = head - nextDayFirst + 1;
    const error = (await rejection(blockRangeForDate(rpc, '2024-03-01', { finalityDepth: depth }))) as DayNotFinalError;
    expect(error).toBeInstanceOf(DayNotFinalError);
    expect(error.fields).toMatchObject({ head, nextDayFirstBlock: nextDayFirst, neededHead: nextDayFirst + depth });
    expect(error.message).toContain(`need block ${nextDayFirst + depth}`);
    expect(await blockRangeForDate(rpc, '2024-03-01', { finalityDepth: depth - 1 })).toEqual(expectedRange(timestamps, '2024-03-01'));
  });

  it('reports a day without blocks', async () => {
    const start = utc('2024-03-01');
    const timestamps = chain(start - 100, start - 50, 2_000, (n) => (n === 100 ? 3 * DAY : 12));
    const { rpc } = await serveChain(timestamps);
    const error = await rejection(blockRangeForDate(rpc, '2024-03-02', { finalityDepth: 5 }));
    expect(error).toBeInstanceOf(NoBlocksOnDateError);
    expect(error.message).toContain('block 99 is before the day and block 100 after it');
  });

  it('reports a chain with only a genesis block', async () => {
    const { rpc } = await serveChain([utc('2024-03-01')]);
    expect(await rejection(blockRangeForDate(rpc, '2024-03-01', { finalityDepth: 0 }))).toBeInstanceOf(NoBlocksOnDateError);
  });

  it.each(['2024-02-30', '2024-1-01', '20240101', 'yesterday', '2024-01-01T00:00:00Z'])('rejects the date %j before any RPC call', async (date) => {
    const { server, rpc } = await serveChain(mainnetLike);
    const error = await rejection(blockRangeForDate(rpc, date, { finalityDepth: 10 }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toContain('YYYY-MM-DD');
    expect(server.requests).toHaveLength(0);
  });
});

describe('ledgerflow block-range', () => {
  const run = promisify(execFile);

  it('prints <start>,<end> for a final day and one error line otherwise', async () => {
    const start = utc('2024-03-01');
    const timestamps = chain(start - 100, start - 50, 10_000, () => 12);
    const { server } = await serveChain(timestamps);
    const ok = await run('node', ['bin/ledgerflow.js', 'block-range', '--rpc', server.url, '--date', '2024-03-01', '--finality-depth', '64']);
    const expected = expectedRange(timestamps, '2024-03-01') as { start: number; end: number };
    expect(ok.stdout).toBe(`${expected.start},${expected.end}\n`);
    const failed = await rejection(run('node', ['bin/ledgerflow.js', 'block-range', '--rpc', server.url, '--date', '2024-03-02']));
    const stderr = (failed as Error & { stderr: string }).stderr;
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('day 2024-03-02 is not final yet');
  });
});
