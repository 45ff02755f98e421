import { afterEach, describe, expect, it } from 'vitest';
import { blockRangeForDate, type FinalityReport } from '../../../../src/chain/blockRange/blockRangeForDate.js';
import { BoundaryHashMismatchError } from '../../../../src/chain/blockRange/errors.js';
import { createRpcPool, type RpcPool, type RpcPoolOptions } from '../../../../src/chain/rpc/createRpcPool.js';
import { canonicalHash, evenChain, expectedRange, forkedHash, hex, nextDayFirst, rejection, startFakeNode, utc, type FakeNode, type FakeNodeOptions } from './fakeNode.js';

// Several endpoints over real HTTP: a search reads one node only, and a second node must confirm
// the day's boundary blocks before the range is accepted.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const DATE = '2024-03-01';
const TIMESTAMPS = evenChain(utc(DATE) - 3_600, 8_000);
const HEAD = TIMESTAMPS.length - 1;
const NEXT = nextDayFirst(TIMESTAMPS, DATE);
const EXPECTED = expectedRange(TIMESTAMPS, DATE);
const BOUNDARIES = [EXPECTED.start, EXPECTED.end, EXPECTED.end + 1].map(hex);
const DEPTH = 64;
const KEY = 'k3yK3yk3yK3yk3yK3yk3y';

async function nodes(...options: Partial<FakeNodeOptions>[]): Promise<FakeNode[]> {
  const started = await Promise.all(options.map((o) => startFakeNode({ timestamps: TIMESTAMPS, finalized: 'null', ...o })));
  cleanups.push(...started.map((n) => () => n.server.close()));
  return started;
}

function pool(urls: string[], options: Partial<RpcPoolOptions> = {}): RpcPool {
  const rpc = createRpcPool({ urls, maxRetries: 2, backoff: { baseMs: 1, maxMs: 4 }, ...options });
  cleanups.push(() => rpc.close());
  return rpc;
}

async function resolve(rpc: RpcPool, finalityDepth = DEPTH) {
  let report: FinalityReport | undefined;
  const range = await blockRangeForDate(rpc, DATE, { finalityDepth, crossCheckDelayMs: 5, onFinality: (r) => (report = r) });
  return { range, report };
}

/** Whether a node ran a search (it was asked for its head) rather than only confirming boundaries. */
const searched = (n: FakeNode) => n.blocksAsked().includes('latest');
const portOf = (n: FakeNode) => new URL(n.url).port;

describe('one view per search', () => {
  it('a lagging endpoint: the search runs on one node, the other only confirms the three boundary blocks', async () => {
    // 40 blocks behind, within the pool's lag tolerance, and the day is final on both.
    const [lagging, synced] = await nodes({ head: HEAD - 40 }, {});
    const rpc = pool([lagging!.url, synced!.url], { maxHeadLag: 1_000 });
    const { range, report } = await resolve(rpc, 10);
    expect(range).toEqual(EXPECTED);
    const [searcher, witness] = searched(lagging!) ? [lagging!, synced!] : [synced!, lagging!];
    expect(searched(witness)).toBe(false);
    expect(witness.blocksAsked().sort()).toEqual([...BOUNDARIES].sort());
    expect(report?.endpoint).toContain(portOf(searcher));
    expect(report?.crossCheckedOn).toContain(portOf(witness));
  });

  it('a day not final on the node behind is resolved on the node ahead, and confirmed by the one behind', async () => {
    // Head - depth is below the next day's first block on the lagging node only.
    const lag = 40;
    const depth = HEAD - NEXT - lag + 1;
    const [lagging, synced] = await nodes({ head: HEAD - lag }, {});
    const rpc = pool([lagging!.url, synced!.url], { maxHeadLag: 1_000 });
    const { range, report } = await resolve(rpc, depth);
    expect(range).toEqual(EXPECTED);
    expect(report?.endpoint).toContain(portOf(synced!));
    expect(report?.crossCheckedOn).toContain(portOf(lagging!));
  });

  it('an endpoint that fails mid-search: the search starts again on another, never finishing with its answers', async () => {
    // The first node resets every connection after its fourth HTTP request (a health check,
    // latest, finalized, one probe).
    const [dying, second, third] = await nodes({ faults: (i) => (i > 4 ? { type: 'reset' } : undefined) }, {}, {});
    const rpc = pool([dying!.url, second!.url, third!.url], { maxRetries: 1 });
    const { range, report } = await resolve(rpc);
    expect(range).toEqual(EXPECTED);
    expect(searched(dying!)).toBe(true);
    expect(report?.endpoint).not.toContain(portOf(dying!));
    // The new search read its own head and probes: a restart, not a continuation.
    const restarted = [second!, third!].find((n) => report?.endpoint.includes(portOf(n)));
    expect(restarted && searched(restarted)).toBe(true);
    expect(restarted!.blocksAsked().length).toBeGreaterThan(5);
  });
});

describe('boundary hashes cross-checked on a second endpoint', () => {
  it('a node on another fork, with other timestamps: the range is the one the two agreeing nodes give', async () => {
    // The forked node's blocks from two hours before midnight on come 5 s later, so its own
    // search ends the day on another block.
    const forkFrom = NEXT - 600;
    const forkTimestamps = TIMESTAMPS.map((ts, n) => (n >= forkFrom ? ts + 5 * (n - forkFrom + 1) : ts));
    expect(expectedRange(forkTimestamps, DATE)).not.toEqual(EXPECTED);
    const [forked, a, b] = await nodes({ timestamps: forkTimestamps, forkFrom }, {}, {});
    const rpc = pool([forked!.url, a!.url, b!.url]);
    const { range, report } = await resolve(rpc, 10);
    expect(range).toEqual(EXPECTED);
    expect(searched(forked!)).toBe(true);
    expect(report?.endpoint).not.toContain(portOf(forked!));
    expect(report?.crossCheckedOn).not.toContain(portOf(forked!));
  });

  it('a disagreement that settles (a reorg near the boundary) is retried on the other pair and accepted', async () => {
    // The second node answers its first three boundary blocks from a sibling branch.
    const [a, settling] = await nodes({}, { forkFrom: EXPECTED.start, forkedAnswers: 3 });
    const rpc = pool([a!.url, settling!.url]);
    const { range, report } = await resolve(rpc);
    expect(range).toEqual(EXPECTED);
    // Round two swapped roles: the node that disagreed ran a whole search of its own.
    expect(searched(settling!)).toBe(true);
    expect(report?.endpoint).toContain(portOf(settling!));
  });

  it('a lasting disagreement fails, retryable, naming both endpoints (masked) and both hashes', async () => {
    const forkFrom = EXPECTED.start - 10;
    const [a, forked] = await nodes({ path: `v3/${KEY}` }, { forkFrom, path: `v3/${KEY}` });
    const rpc = pool([a!.url, forked!.url]);
    const error = (await rejection(resolve(rpc))) as BoundaryHashMismatchError;
    expect(error).toBeInstanceOf(BoundaryHashMismatchError);
    expect(error.retryable).toBe(true);
    expect(error.fields.attempts).toBe(3);
    const { block } = error.fields;
    expect([EXPECTED.start, EXPECTED.end, EXPECTED.end + 1]).toContain(block);
    const byEndpoint = new Map([
      [error.fields.endpoint, error.fields.hash],
      [error.fields.witness, error.fields.witnessHash],
    ]);
    const name = (n: FakeNode) => [...byEndpoint.keys()].find((e) => e.includes(portOf(n)));
    expect(byEndpoint.get(name(a!)!)).toBe(canonicalHash(block));
    expect(byEndpoint.get(name(forked!)!)).toBe(forkedHash(block));
    expect(error.message).toContain(canonicalHash(block));
    expect(error.message).toContain(forkedHash(block));
    expect(error.message).toContain(`127.0.0.1:${portOf(a!)}/v3/***`);
    expect(error.message).toContain(`127.0.0.1:${portOf(forked!)}/v3/***`);
    expect(error.message).not.toContain(KEY);
    // Each round searched on one node: both ran whole searches, as primaries in turn.
    expect(searched(a!) && searched(forked!)).toBe(true);
  });

  it('with a single endpoint nothing is cross-checked', async () => {
    const [only] = await nodes({});
    const { range, report } = await resolve(pool([only!.url]));
    expect(range).toEqual(EXPECTED);
    expect(report).toMatchObject({ rule: 'depth', crossCheckedOn: undefined });
    expect(only!.blocksAsked().filter((b) => b === hex(EXPECTED.end + 1))).toHaveLength(1);
  });
});
