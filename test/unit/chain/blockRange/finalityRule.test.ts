import { afterEach, describe, expect, it } from 'vitest';
import { blockRangeForDate, type FinalityReport } from '../../../../src/chain/blockRange/blockRangeForDate.js';
import { DayNotFinalError } from '../../../../src/chain/blockRange/errors.js';
import { createRpcPool, type RpcPool } from '../../../../src/chain/rpc/createRpcPool.js';
import { evenChain, expectedRange, nextDayFirst, rejection, startFakeNode, utc, type FakeNode, type FakeNodeOptions, type FinalizedAnswer } from './fakeNode.js';

// Which block counts as final, on one node over real HTTP: its `finalized` tag where it serves
// one, head minus finalityDepth where it does not.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const DATE = '2024-03-01';
// 12 s blocks from an hour before the day to about an hour and a half into the next one.
const TIMESTAMPS = evenChain(utc(DATE) - 3_600, 8_000);
const HEAD = TIMESTAMPS.length - 1;
const NEXT = nextDayFirst(TIMESTAMPS, DATE);
const EXPECTED = expectedRange(TIMESTAMPS, DATE);

async function node(options: Partial<FakeNodeOptions>): Promise<{ node: FakeNode; rpc: RpcPool }> {
  const n = await startFakeNode({ timestamps: TIMESTAMPS, ...options });
  const rpc = createRpcPool({ urls: [n.url], maxRetries: 3, backoff: { baseMs: 1, maxMs: 4 } });
  cleanups.push(() => n.server.close(), () => rpc.close());
  return { node: n, rpc };
}

async function resolve(rpc: RpcPool, finalityDepth: number): Promise<{ range: unknown; report: FinalityReport | undefined }> {
  let report: FinalityReport | undefined;
  const range = await blockRangeForDate(rpc, DATE, { finalityDepth, onFinality: (r) => (report = r) });
  return { range, report };
}

describe('the finalized tag, where the node serves it', () => {
  it('refuses the day while the next day\'s first block is not finalized, though the depth would allow it', async () => {
    const { rpc } = await node({ finalized: NEXT - 1 });
    const error = (await rejection(resolve(rpc, 10))) as DayNotFinalError;
    expect(error).toBeInstanceOf(DayNotFinalError);
    expect(error.fields).toMatchObject({ rule: 'finalized', finalizedBlock: NEXT - 1, nextDayFirstBlock: NEXT, head: HEAD });
    expect(error.message).toContain(`the node's finalized block is ${NEXT - 1}, need block ${NEXT} finalized`);
    // The trail the node shows (head - finalized) sets the head to wait for, not the depth.
    expect(error.fields.neededHead).toBe(NEXT + (HEAD - (NEXT - 1)));
  });

  it('accepts the day once that block is finalized, though the depth would refuse it', async () => {
    const { rpc } = await node({ finalized: NEXT });
    const { range, report } = await resolve(rpc, HEAD - NEXT + 1);
    expect(range).toEqual(EXPECTED);
    expect(report).toMatchObject({ rule: 'finalized', finalizedBlock: NEXT, head: HEAD, crossCheckedOn: undefined });
  });

  it('a transient fault on the tag is retried, not read as "no tag"', async () => {
    // Request 1 is `latest`, request 2 the finalized block: a 502 there must not switch rules.
    // Read as "no tag", the depth of 10 would accept the day.
    const { node: n, rpc } = await node({ finalized: NEXT - 1, faults: (i) => (i === 2 ? { type: 'status', status: 502 } : undefined) });
    const error = (await rejection(resolve(rpc, 10))) as DayNotFinalError;
    expect(error.fields.rule).toBe('finalized');
    expect(n.blocksAsked()[1]).toBe('finalized');
    // The 502 reached the pool: one HTTP request more than the calls the node recorded.
    expect(n.server.httpRequests()).toBe(n.server.requests.length + 1);
  });
});

describe('head minus finalityDepth, where the tag says nothing', () => {
  const answers: [string, FinalizedAnswer][] = [
    ['-32601 (no such method or tag)', 'methodNotFound'],
    ['-32602 (a node before the merge)', 'invalidParams'],
    ['-32000 "unknown block"', 'unknownBlock'],
    ['null', 'null'],
    ['genesis on a chain that has moved on (a dev node)', 0],
  ];
  it.each(answers)('%s', async (_, finalized) => {
    const { node: n, rpc } = await node({ finalized });
    const depth = HEAD - NEXT;
    const { range, report } = await resolve(rpc, depth);
    expect(range).toEqual(EXPECTED);
    expect(report).toMatchObject({ rule: 'depth', head: HEAD, finalizedBlock: finalized === 0 ? 0 : undefined });
    const error = (await rejection(resolve(rpc, depth + 1))) as DayNotFinalError;
    expect(error.fields).toMatchObject({ rule: 'depth', neededHead: NEXT + depth + 1, finalityDepth: depth + 1 });
    expect(error.message).toContain(`head is block ${HEAD}, need block ${NEXT + depth + 1}`);
    // One attempt per search: a node without the tag is not asked again and again.
    expect(n.blocksAsked().filter((b) => b === 'finalized')).toHaveLength(2);
  });
});
