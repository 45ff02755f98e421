import { afterEach, describe, expect, it } from 'vitest';
import { fetchTokenMetadata, TokenMetadataUnavailableError } from '../../../src/chain/entities/fetchTokenMetadata.js';
import { exportRange } from '../../../src/chain/exportRange.js';
import { InconsistentNodeDataError } from '../../../src/chain/inconsistentNodeDataError.js';
import { createRpcPool, type RpcPool, type RpcPoolOptions } from '../../../src/chain/rpc/createRpcPool.js';
import { RpcBlockNotFoundError, RpcUnavailableError } from '../../../src/chain/rpc/errors.js';
import type { EntityName } from '../../../src/chain/types.js';
import { CollectingSink } from '../../support/collectingSink.js';
import { FAULT_KINDS, startFaultProxy, type FaultKind, type FaultProxy, type FaultProxyOptions } from '../../support/faultProxy.js';
import { startReplayServer, type ReplayServer } from '../../support/replayServer.js';
import { syntheticChain } from '../../support/syntheticChain.js';

// Every fault kind of the test proxy, against the real pool and exporter over HTTP: what a node
// behind a balancer or a hosted provider does to us, and what must come out anyway.
const HEAD = 120;
const ENTITIES: EntityName[] = ['blocks', 'transactions', 'receipts', 'logs', 'token_transfers'];
const RANGE = { start: 0, end: 59 };
const FAST = { backoff: { baseMs: 1, maxMs: 4 } };

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function upstream(): Promise<ReplayServer> {
  const server = await startReplayServer({ handle: syntheticChain({ blockReceipts: true, head: HEAD }) });
  cleanups.push(() => server.close());
  return server;
}

async function proxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const p = await startFaultProxy({ hangMs: 1_000, ...options });
  cleanups.push(() => p.close());
  return p;
}

function pool(options: RpcPoolOptions): RpcPool {
  const p = createRpcPool({ timeoutMs: 300, maxRetries: 12, batchSize: 10, ...FAST, ...options });
  cleanups.push(() => p.close());
  return p;
}

/** Every entity's rows for the range, as the exporter wrote them. */
async function exportRows(rpc: RpcPool, knownHeight?: number): Promise<Record<string, unknown[]>> {
  const sinks = new Map<EntityName, CollectingSink>();
  await exportRange({
    rpc,
    range: RANGE,
    entities: ENTITIES,
    blockBatchSize: 7,
    openSink: (entity) => {
      const sink = new CollectingSink();
      sinks.set(entity, sink);
      return sink;
    },
    consistency: { attempts: 10, ...FAST },
    ...(knownHeight !== undefined ? { knownHeight } : {}),
  });
  return Object.fromEntries([...sinks].map(([entity, sink]) => [entity, sink.rows]));
}

async function cleanRows(): Promise<Record<string, unknown[]>> {
  const server = await upstream();
  return exportRows(pool({ urls: [server.url] }));
}

describe('every fault kind at a 40 % rate: the export completes with the clean rows', () => {
  const kinds = FAULT_KINDS.filter((k) => k !== 'stateUnavailable');
  it.each(kinds)('%s', async (kind: FaultKind) => {
    const expected = await cleanRows();
    const server = await upstream();
    const faulty = await proxy({ upstream: server.url, rate: 0.4, seed: 7, kinds: [kind] });
    // The day's chunks vouch for the next day's first block; the exporter confirms the range's
    // last block with it.
    expect(await exportRows(pool({ urls: [faulty.url] }), RANGE.end + 1)).toEqual(expected);
    expect(faulty.stats().faults[kind]).toBeGreaterThan(0);
  });

  it('all kinds at once, 30 %, across two faulty endpoints', async () => {
    const expected = await cleanRows();
    const server = await upstream();
    const a = await proxy({ upstream: server.url, rate: 0.3, seed: 11 });
    const b = await proxy({ upstream: server.url, rate: 0.3, seed: 12 });
    expect(await exportRows(pool({ urls: [a.url, b.url] }), RANGE.end + 1)).toEqual(expected);
    const injected = FAULT_KINDS.filter((k) => a.stats().faults[k] + b.stats().faults[k] > 0);
    expect(injected.length).toBeGreaterThanOrEqual(5);
  });
});

describe('a lagging endpoint', () => {
  it('is avoided for blocks above its head: no failure, no row differs', async () => {
    const expected = await cleanRows();
    const server = await upstream();
    // 80 blocks behind, answering null above its head: far more than maxHeadLag, so the health
    // check marks it lagging before the first call.
    const lagging = await proxy({ upstream: server.url, lagBlocks: 80 });
    const synced = await proxy({ upstream: server.url });
    const rpc = pool({ urls: [lagging.url, synced.url] });
    expect(await exportRows(rpc)).toEqual(expected);
    expect(rpc.endpoints().find((e) => e.endpoint.includes(new URL(lagging.url).port))?.lagging).toBe(true);
  });

  it('within the lag tolerance, its null blocks are asked again elsewhere and it is avoided from then on', async () => {
    const expected = await cleanRows();
    const server = await upstream();
    const lagging = await proxy({ upstream: server.url, lagBlocks: 90 });
    const synced = await proxy({ upstream: server.url });
    // A tolerance this wide never marks it lagging: only its null answers show it is behind.
    const rpc = pool({ urls: [lagging.url, synced.url], maxHeadLag: 1_000 });
    expect(await exportRows(rpc)).toEqual(expected);
    const laggingStatus = rpc.endpoints().find((e) => e.endpoint.includes(new URL(lagging.url).port));
    expect(laggingStatus?.head).toBeLessThanOrEqual(HEAD - 90);
  });
});

describe('when the budget is spent', () => {
  it('names every endpoint tried, the method, the block and what each answered', async () => {
    const server = await upstream();
    const a = await proxy({ upstream: server.url, rate: 1, kinds: ['truncated'] });
    const b = await proxy({ upstream: server.url, rate: 1, kinds: ['http500'] });
    const rpc = pool({ urls: [a.url, b.url], maxRetries: 3 });
    const error = await rpc.request('eth_getBlockByNumber', ['0x5', false]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RpcUnavailableError);
    const message = (error as Error).message;
    expect(message).toMatch(/eth_getBlockByNumber for block 5 after 4 attempts/);
    expect(message).toContain(`${new URL(a.url).host} answered malformed x2 (unparseable JSON`);
    expect(message).toContain(`${new URL(b.url).host} answered server_error x2 (HTTP 500)`);
    expect(message).toMatch(/Fix: check the node or any proxy in front of it/);
  });

  it('a stretch whose answers keep disagreeing fails naming both hashes', async () => {
    const server = await upstream();
    const forked = await proxy({ upstream: server.url, rate: 1, kinds: ['fork'] });
    const rpc = pool({ urls: [forked.url] });
    const failure = exportRange({
      rpc, range: { start: 10, end: 14 }, entities: ['blocks'], openSink: () => new CollectingSink(), consistency: { attempts: 3, ...FAST },
    });
    await expect(failure).rejects.toBeInstanceOf(InconsistentNodeDataError);
    // The parent hash the node reports, against the (forked) hash it gave the block before.
    await expect(failure).rejects.toThrow(/block 11: parent hash is 0x0{62}0b, expected 0x0{56}[0-9a-f]{8} .*; still after 3 fetches/);
  });

  it('a block far above every head is not found at once, not retried', async () => {
    const server = await upstream();
    const lagging = await proxy({ upstream: server.url, lagBlocks: 20 });
    const rpc = pool({ urls: [lagging.url] });
    await expect(rpc.request('eth_getBlockByNumber', ['0x3e8', false])).rejects.toBeInstanceOf(RpcBlockNotFoundError);
    expect(rpc.stats().retries).toBe(0);
  });
});

describe('token metadata on a node that cannot serve the state', () => {
  const token = '0x00000000000000000000000000000000000000aa';

  it('is read exactly through transient "missing trie node" answers', async () => {
    const server = await upstream();
    const clean = await fetchTokenMetadata(pool({ urls: [server.url] }), token, '0x10');
    const faulty = await proxy({ upstream: server.url, rate: 0.5, seed: 3, kinds: ['stateUnavailable'] });
    expect(await fetchTokenMetadata(pool({ urls: [faulty.url] }), token, '0x10')).toEqual(clean);
    expect(faulty.stats().faults.stateUnavailable).toBeGreaterThan(0);
  });

  it('fails, never yields nulls, when the state stays unavailable, and names the fix', async () => {
    const server = await upstream();
    const pruned = await proxy({ upstream: server.url, rate: 1, kinds: ['stateUnavailable'] });
    const failure = fetchTokenMetadata(pool({ urls: [pruned.url], maxRetries: 2 }), token, '0x10');
    await expect(failure).rejects.toBeInstanceOf(TokenMetadataUnavailableError);
    await expect(failure).rejects.toThrow(/Token metadata of 0x0+AA at block 16 could not be read: .*state_unavailable.*Fix: .*archive node.*--token-metadata-at latest/);
  });
});
