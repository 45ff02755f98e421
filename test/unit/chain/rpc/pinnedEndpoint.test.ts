import { afterEach, describe, expect, it } from 'vitest';
import { createRpcPool, type RpcPool, type RpcPoolOptions } from '../../../../src/chain/rpc/createRpcPool.js';
import { RpcUnavailableError } from '../../../../src/chain/rpc/errors.js';
import { ConfigurationError } from '../../../../src/errors/LedgerflowError.js';
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from '../../../support/replayServer.js';

// Calls pinned to one endpoint of a pool, over real HTTP: what a caller needs to read one node's
// view of the chain (the day's block range) and to retry elsewhere itself.
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

const KEY = 'abcdefABCDEF0123456789';

async function node(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const s = await startReplayServer({ handle: (method, params) => (method === 'echo' ? params[0] : method === 'eth_blockNumber' ? '0x64' : undefined), ...options });
  cleanups.push(() => s.close());
  return s;
}

function pool(options: RpcPoolOptions): RpcPool {
  const p = createRpcPool({ backoff: { baseMs: 1, maxMs: 4 }, timeoutMs: 2_000, ...options });
  cleanups.push(() => p.close());
  return p;
}

const echoes = (s: ReplayServer) => s.requests.filter((r) => r.method === 'echo').length;
/** HTTP requests other than the pool's eth_blockNumber health checks (one per endpoint here). */
const nonHealth = (s: ReplayServer) => s.httpRequests() - s.requests.filter((r) => r.method === 'eth_blockNumber').length;

describe('RpcPool.pinned', () => {
  it('sends every call and every retry to its endpoint, even while it fails and another is healthy', async () => {
    // Requests 2 and 3 (after the health check) fail with 503.
    const flaky = await node({ faults: (i) => (i === 2 || i === 3 ? { type: 'status', status: 503 } : undefined) });
    const healthy = await node();
    const rpc = pool({ urls: [flaky.url, healthy.url], maxRetries: 3 });
    const view = rpc.pinned(0);
    expect(await view.request('echo', ['a'])).toBe('a');
    expect(await view.batch([{ method: 'echo', params: ['b'] }, { method: 'echo', params: ['c'] }])).toEqual(['b', 'c']);
    expect(echoes(flaky)).toBe(3);
    expect(nonHealth(healthy)).toBe(0);
    expect(rpc.stats().retries).toBe(2);
  });

  it('when its endpoint stays down, fails naming that endpoint alone, without trying another', async () => {
    const down = await node({ faults: (i) => (i > 1 ? { type: 'status', status: 502 } : undefined) });
    const healthy = await node();
    const rpc = pool({ urls: [`${down.url}v2/${KEY}`, healthy.url], maxRetries: 2 });
    const error = (await rejection(rpc.pinned(0).request('echo', ['x']))) as RpcUnavailableError;
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect(error.fields.attempts).toBe(3);
    expect(error.fields.endpoint).toBe(`http://127.0.0.1:${new URL(down.url).port}/v2/***`);
    expect(error.message).not.toContain(KEY);
    expect(nonHealth(healthy)).toBe(0);
    // Unpinned, the same call fails over.
    expect(await rpc.request('echo', ['y'])).toBe('y');
  });

  it('describes itself by its endpoint, masked, and closing it leaves the pool open', async () => {
    const a = await node();
    const b = await node();
    const rpc = pool({ urls: [a.url, `${b.url}v3/${KEY}`] });
    const view = rpc.pinned(1);
    expect(view.describe()).toBe(`http://127.0.0.1:${new URL(b.url).port}/v3/***`);
    await view.close();
    expect(await rpc.request('echo', [1])).toBe(1);
    expect(await view.request('echo', [2])).toBe(2);
  });

  it('refuses an index the pool does not have', async () => {
    const a = await node();
    const rpc = pool({ urls: [a.url] });
    expect(() => rpc.pinned(1)).toThrow(ConfigurationError);
    expect(() => rpc.pinned(-1)).toThrow(ConfigurationError);
    expect(() => rpc.pinned(0.5)).toThrow(ConfigurationError);
    await expect(rpc.request('echo', [1], { endpoint: 3 })).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('the maxRetries call option', () => {
  it('caps one call\'s attempts, never above the pool\'s own maxRetries', async () => {
    const down = await node({ faults: () => ({ type: 'status', status: 500 }) });
    const rpc = pool({ urls: [down.url], maxRetries: 2 });
    const once = (await rejection(rpc.request('echo', ['x'], { maxRetries: 0 }))) as RpcUnavailableError;
    expect(once.fields.attempts).toBe(1);
    const capped = (await rejection(rpc.request('echo', ['x'], { maxRetries: 10 }))) as RpcUnavailableError;
    expect(capped.fields.attempts).toBe(3);
    expect(down.httpRequests()).toBe(4);
  });
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}
