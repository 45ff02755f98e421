import { afterEach, describe, expect, it } from 'vitest';
import { BlockTimestampIndex } from '../../../../src/chain/blockRange/blockTimestampIndex.js';
import { createRpcPool } from '../../../../src/chain/rpc/createRpcPool.js';
import { canonicalHash, evenChain, hex, startFakeNode, utc } from './fakeNode.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const TIMESTAMPS = evenChain(utc('2024-03-01'), 500);

async function twoNodePool() {
  const a = await startFakeNode({ timestamps: TIMESTAMPS });
  const b = await startFakeNode({ timestamps: TIMESTAMPS });
  const rpc = createRpcPool({ urls: [a.url, b.url] });
  cleanups.push(() => a.server.close(), () => b.server.close(), () => rpc.close());
  return { a, b, rpc };
}

describe('BlockTimestampIndex', () => {
  it('keeps one cache per endpoint, each reading only its own node', async () => {
    const { a, b, rpc } = await twoNodePool();
    const index = new BlockTimestampIndex(rpc);
    expect(index.forEndpoint(1)).toBe(index.forEndpoint(1));
    expect(await index.forEndpoint(0).at(7)).toEqual({ number: 7, timestamp: TIMESTAMPS[7], hash: canonicalHash(7) });
    await index.forEndpoint(1).at(9);
    await index.forEndpoint(1).at(7);
    expect(a.blocksAsked()).toEqual([hex(7)]);
    expect(b.blocksAsked()).toEqual([hex(9), hex(7)]);
    // Cached per endpoint: asking again costs nothing.
    await index.forEndpoint(0).at(7);
    expect(a.blocksAsked()).toHaveLength(1);
  });

  it('forgets points above a height, so they are read again', async () => {
    const { a, rpc } = await twoNodePool();
    const index = new BlockTimestampIndex(rpc).forEndpoint(0);
    for (const n of [10, 20, 30]) await index.at(n);
    index.forgetAbove(15);
    for (const n of [10, 20, 30]) await index.at(n);
    expect(a.blocksAsked()).toEqual([10, 20, 30, 20, 30].map(hex));
  });
});
