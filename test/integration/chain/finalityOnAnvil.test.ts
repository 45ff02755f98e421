import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { blockRangeForDate, type FinalityReport } from '../../../src/chain/blockRange/blockRangeForDate.js';
import { BoundaryHashMismatchError } from '../../../src/chain/blockRange/errors.js';
import { createRpcPool, type RpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import { startFaultProxy, type FaultProxy } from '../../support/faultProxy.js';

// The seeded anvil of the real stack: what its `finalized` tag says, and the day ranges resolved
// on one endpoint and cross-checked on a second one (a proxy in front of the same anvil).
const stack = inject('stack');
const days = stack.LEDGERFLOW_DAYS.split(',').filter(Boolean);
const depth = Number(stack.FINALITY_DEPTH);

interface RawBlock {
  number: string;
  hash: string;
  timestamp: string;
}

/** Raw JSON-RPC, independent of the pool, to read what the node itself reports. */
async function raw<T>(method: string, params: unknown[]): Promise<T> {
  const response = await fetch(stack.RPC_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await response.json()) as { result: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
const timestampOf = async (n: number) => Number(BigInt((await raw<RawBlock>('eth_getBlockByNumber', [`0x${n.toString(16)}`, false])).timestamp));
const midnight = (date: string) => Date.parse(`${date}T00:00:00Z`) / 1000;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

let head: number;
let finalized: RawBlock;
beforeAll(async () => {
  expect(days.length).toBeGreaterThan(0);
  head = Number(BigInt(await raw<string>('eth_blockNumber', [])));
  finalized = await raw<RawBlock>('eth_getBlockByNumber', ['finalized', false]);
});

function pool(urls: string[]): RpcPool {
  const rpc = createRpcPool({ urls, maxRetries: 2, backoff: { baseMs: 5, maxMs: 20 } });
  cleanups.push(() => rpc.close());
  return rpc;
}

async function proxy(rate: number): Promise<FaultProxy> {
  const p = await startFaultProxy({ upstream: stack.RPC_URL, rate, kinds: ['fork'] });
  cleanups.push(() => p.close());
  return p;
}

describe('finality on the seeded anvil', () => {
  it('anvil serves a finalized block 64 below its head, and the ranges use it', async () => {
    // anvil's rule (0 below block 64): two epochs of 32 slots, whatever --finality-depth says.
    expect(Number(BigInt(finalized.number))).toBe(Math.max(0, head - 64));
    const rpc = pool([stack.RPC_URL]);
    let previousEnd = -1;
    for (const date of days) {
      let report: FinalityReport | undefined;
      const range = await blockRangeForDate(rpc, date, { finalityDepth: depth, onFinality: (r) => (report = r) });
      expect(report).toMatchObject({ rule: 'finalized', finalizedBlock: head - 64, head });
      // The ethereum-etl definition, read straight from the node.
      expect(range.start).toBe(previousEnd + 1);
      expect(await timestampOf(range.end)).toBeLessThan(midnight(date) + 86_400);
      expect(await timestampOf(range.end + 1)).toBeGreaterThanOrEqual(midnight(date) + 86_400);
      expect(range.end + 1).toBeLessThanOrEqual(head - 64);
      previousEnd = range.end;
    }
  });

  it('two endpoints that agree: the range is cross-checked and the same as on one', async () => {
    const date = days.at(-1) as string;
    const alone = await blockRangeForDate(pool([stack.RPC_URL]), date, { finalityDepth: depth });
    const second = await proxy(0);
    let report: FinalityReport | undefined;
    const range = await blockRangeForDate(pool([stack.RPC_URL, second.url]), date, { finalityDepth: depth, onFinality: (r) => (report = r) });
    expect(range).toEqual(alone);
    expect(report?.crossCheckedOn).toBeDefined();
    expect(report?.crossCheckedOn).not.toBe(report?.endpoint);
  });

  it('an endpoint that serves another fork of the boundary blocks: refused, naming both hashes', async () => {
    const date = days[0] as string;
    const forked = await proxy(1);
    const error = await blockRangeForDate(pool([stack.RPC_URL, forked.url]), date, { finalityDepth: depth, crossCheckDelayMs: 10 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BoundaryHashMismatchError);
    const { fields } = error as BoundaryHashMismatchError;
    const real = await raw<RawBlock>('eth_getBlockByNumber', [`0x${fields.block.toString(16)}`, false]);
    expect([fields.hash, fields.witnessHash]).toContain(real.hash);
    expect(fields.hash).not.toBe(fields.witnessHash);
    expect(forked.stats().faults.fork).toBeGreaterThan(0);
  });
});
