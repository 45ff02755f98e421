import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRpcPool, type RpcPool, type RpcPoolOptions } from '../../../../src/chain/rpc/createRpcPool.js';
import { startReplayServer, type ReplayServer, type ReplayServerOptions } from '../../../support/replayServer.js';
import {
  RpcBlockNotFoundError,
  RpcInvalidParamsError,
  RpcMethodNotFoundError,
  RpcExecutionRevertedError,
  RpcResultTooLargeError,
  RpcUnavailableError,
} from '../../../../src/chain/rpc/errors.js';
import { createMetricsRegistry } from '../../../../src/metrics/createMetricsRegistry.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

/** Echoes `params[0]` for method "echo", answers blocks by number for eth_getBlockByNumber. */
function echoHandler(method: string, params: readonly unknown[]): unknown {
  if (method === 'echo') return params[0];
  if (method === 'eth_blockNumber') return '0x64';
  return undefined;
}

async function server(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const s = await startReplayServer({ handle: echoHandler, ...options });
  cleanups.push(() => s.close());
  return s;
}

function pool(options: RpcPoolOptions): RpcPool {
  const p = createRpcPool({ backoff: { baseMs: 5, maxMs: 20 }, timeoutMs: 2_000, ...options });
  cleanups.push(() => p.close());
  return p;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe('createRpcPool batching', () => {
  it('splits into batches of batchSize and returns results in request order', async () => {
    const s = await server();
    const rpc = pool({ urls: [s.url], batchSize: 3, maxConcurrency: 2 });
    const requests = Array.from({ length: 10 }, (_, i) => ({ method: 'echo', params: [i] }));
    expect(await rpc.batch<number>(requests)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(s.httpRequests()).toBe(4);
    expect(s.requests.map((r) => r.params[0]).sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('reassembles by id when the node answers a batch out of order', async () => {
    const httpServer = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const calls = JSON.parse(raw) as { id: number; params: unknown[] }[];
        const replies = calls.map((c) => ({ jsonrpc: '2.0', id: c.id, result: c.params[0] })).reverse();
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(replies));
      });
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    });
    const rpc = pool({ urls: [`http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`], batchSize: 4 });
    const requests = Array.from({ length: 9 }, (_, i) => ({ method: 'echo', params: [`v${i}`] }));
    expect(await rpc.batch<string>(requests)).toEqual(requests.map((r) => r.params[0]));
  });

  it('keeps null results of a batch per request for the caller to judge', async () => {
    const s = await server({ handle: (method, params) => (method === 'echo' ? (params[0] === 1 ? null : params[0]) : undefined) });
    const rpc = pool({ urls: [s.url] });
    expect(await rpc.batch([0, 1, 2].map((i) => ({ method: 'echo', params: [i] })))).toEqual([0, null, 2]);
  });

  it('retries a batch reply missing an id, as a garbled answer', async () => {
    const s = await server({ faults: [{ type: 'body', body: '[{"jsonrpc":"2.0","id":0,"result":1},{"jsonrpc":"2.0","result":2}]' }] });
    const rpc = pool({ urls: [s.url] });
    expect(await rpc.batch([0, 1].map((i) => ({ method: 'echo', params: [i] })))).toEqual([0, 1]);
    expect(s.httpRequests()).toBe(2);
  });

  it('names the missing id once the budget is spent', async () => {
    const s = await server({ faults: () => ({ type: 'body', body: '[{"jsonrpc":"2.0","id":0,"result":1},{"jsonrpc":"2.0","result":2}]' }) });
    const rpc = pool({ urls: [s.url], maxRetries: 1 });
    const error = await rejection(rpc.batch([0, 1].map((i) => ({ method: 'echo', params: [i] }))));
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect(error.message).toMatch(/after 2 attempts.*answered malformed x2 \(batch entry 1 has missing, unknown or repeated id/);
    expect(s.httpRequests()).toBe(2);
  });

  it('serves a single request and an empty batch', async () => {
    const s = await server();
    const rpc = pool({ urls: [s.url] });
    expect(await rpc.request('echo', ['hello'])).toBe('hello');
    expect(await rpc.batch([])).toEqual([]);
  });
});

describe('createRpcPool retries (real HTTP faults)', () => {
  it.each([
    ['HTTP 429', { type: 'status', status: 429 }],
    ['HTTP 500', { type: 'status', status: 500 }],
    ['HTTP 503 with Retry-After', { type: 'status', status: 503, retryAfterSeconds: 0 }],
    ['connection reset', { type: 'reset' }],
    ['rate limit inside HTTP 200', { type: 'rpcError', code: -32005, message: 'request rate limited' }],
    ['header not found inside HTTP 200', { type: 'rpcError', code: -32000, message: 'header not found' }],
  ] as const)('retries after %s and then succeeds', async (_name, fault) => {
    const s = await server({ faults: [fault, fault] });
    const rpc = pool({ urls: [s.url], maxRetries: 3 });
    expect(await rpc.batch([{ method: 'echo', params: [7] }, { method: 'echo', params: [8] }])).toEqual([7, 8]);
    expect(s.httpRequests()).toBe(3);
    expect(rpc.stats().retries).toBe(2);
  });

  it('times out a slow response and retries it', async () => {
    const s = await server({ faults: [{ type: 'delay', ms: 1_500 }] });
    const rpc = pool({ urls: [s.url], timeoutMs: 200, maxRetries: 2 });
    expect(await rpc.request('echo', [1])).toBe(1);
    expect(s.httpRequests()).toBe(2);
  });

  it('gives up after maxRetries with RpcUnavailableError naming the endpoint', async () => {
    const s = await server({ faults: () => ({ type: 'status', status: 502 }) });
    const rpc = pool({ urls: [s.url], maxRetries: 2 });
    const error = await rejection(rpc.request('eth_getBlockByNumber', ['0x10', false]));
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect((error as RpcUnavailableError).retryable).toBe(true);
    expect(error.message).toContain('127.0.0.1');
    expect(error.message).toContain('eth_getBlockByNumber for block 16');
    expect(error.message).toContain('3 attempts');
    expect(s.httpRequests()).toBe(3);
  });

  it('reports an unreachable endpoint after retries', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    const rpc = pool({ urls: [url], maxRetries: 1 });
    const error = await rejection(rpc.request('echo', [1]));
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect(error.message).toMatch(/connection/);
  });
});

describe('createRpcPool cancellation', () => {
  it('stops retrying when the caller aborts and rethrows the abort reason', async () => {
    const s = await server({ faults: () => ({ type: 'status', status: 503 }) });
    const rpc = pool({ urls: [s.url], maxRetries: 50, backoff: { baseMs: 50, maxMs: 50 } });
    const controller = new AbortController();
    const reason = new Error('shutting down');
    const pending = rejection(rpc.request('echo', [1], { signal: controller.signal }));
    while (s.httpRequests() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(reason);
    expect(await pending).toBe(reason);
    const seen = s.httpRequests();
    expect(seen).toBeLessThan(5);
  });
});

describe('createRpcPool permanent errors fail fast', () => {
  it('truncated JSON is retried, and named with the block once the budget is spent', async () => {
    const s = await server({ faults: () => ({ type: 'truncate' }) });
    const rpc = pool({ urls: [s.url], maxRetries: 2 });
    const error = await rejection(rpc.request('eth_getBlockByNumber', ['0x5', true]));
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect((error as RpcUnavailableError).retryable).toBe(true);
    expect(error.message).toMatch(/eth_getBlockByNumber for block 5 after 3 attempts.*answered malformed x3 \(unparseable JSON/);
    expect(s.httpRequests()).toBe(3);
  });

  it('method not found names the method, the block and the fix', async () => {
    const s = await server({ faults: () => ({ type: 'rpcError', code: -32601, message: 'the method trace_block does not exist/is not available' }) });
    const rpc = pool({ urls: [s.url] });
    const error = await rejection(rpc.batch([{ method: 'trace_block', params: ['0x2a'] }]));
    expect(error).toBeInstanceOf(RpcMethodNotFoundError);
    expect(error.message).toContain('trace_block');
    expect(error.message).toContain('needed for block 42');
    expect(error.message).toContain('drop the traces entity');
    expect(s.httpRequests()).toBe(1);
  });

  it('"not supported" under -32000 is also method-not-found', async () => {
    const s = await server({ faults: () => ({ type: 'rpcError', code: -32000, message: 'eth_getBlockReceipts not supported' }) });
    const rpc = pool({ urls: [s.url] });
    const error = await rejection(rpc.request('eth_getBlockReceipts', ['0x1'], { block: 1 }));
    expect(error).toBeInstanceOf(RpcMethodNotFoundError);
    expect(s.httpRequests()).toBe(1);
  });

  it('Infura -32005 "more than N results" fails eth_getLogs at once (to be split) but is a rate limit for other methods', async () => {
    const fault = { type: 'rpcError', code: -32005, message: 'query returned more than 10000 results' } as const;
    const s = await server({ faults: [fault, fault] });
    const rpc = pool({ urls: [s.url], maxRetries: 3 });
    expect(await rejection(rpc.request('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x2', address: [] }]))).toBeInstanceOf(RpcResultTooLargeError);
    expect(s.httpRequests()).toBe(1);
    expect(await rpc.request('echo', [5])).toBe(5);
    expect(s.httpRequests()).toBe(3);
  });

  it('invalid params and reverts are not retried', async () => {
    const s = await server({ faults: [{ type: 'rpcError', code: -32602, message: 'invalid argument' }, { type: 'rpcError', code: 3, message: 'execution reverted' }] });
    const rpc = pool({ urls: [s.url] });
    expect(await rejection(rpc.request('echo', [1]))).toBeInstanceOf(RpcInvalidParamsError);
    expect(await rejection(rpc.request('eth_call', [{ to: '0x0', data: '0x' }, 'latest']))).toBeInstanceOf(RpcExecutionRevertedError);
    expect(s.httpRequests()).toBe(2);
  });

  it('a null block above every head is RpcBlockNotFoundError, at once', async () => {
    const s = await server({ handle: (method) => (method === 'eth_getBlockByNumber' ? null : method === 'eth_blockNumber' ? '0x10' : undefined) });
    const rpc = pool({ urls: [s.url] });
    const error = await rejection(rpc.request('eth_getBlockByNumber', ['0x3e8', false]));
    expect(error).toBeInstanceOf(RpcBlockNotFoundError);
    expect(error.message).toContain('block 1000');
    expect(error.message).toContain('highest head seen 16');
  });

  it('a null block at or below the head is a node behind: retried', async () => {
    let nulls = 2;
    const s = await server({
      handle: (method) => (method === 'eth_blockNumber' ? '0x3e8' : method === 'eth_getBlockByNumber' ? (nulls-- > 0 ? null : { number: '0x3e8' }) : undefined),
    });
    const rpc = pool({ urls: [s.url] });
    expect(await rpc.request('eth_getBlockByNumber', ['0x3e8', false])).toEqual({ number: '0x3e8' });
  });

  it('a null block above a vouched height is retried, not refused, when the head reading fails', async () => {
    let nulls = 1;
    let heads = 0;
    const s = await server({
      handle: (method) =>
        method === 'eth_blockNumber' ? (heads++ === 0 ? 'garbled' : '0x190') : method === 'eth_getBlockByNumber' ? (nulls-- > 0 ? null : { number: '0x169' }) : undefined,
    });
    const rpc = pool({ urls: [s.url] });
    rpc.noteHeight(181);
    // Block 361 lies above the only height known; a failed eth_blockNumber proves nothing.
    expect(await rpc.request('eth_getBlockByNumber', ['0x169', false])).toEqual({ number: '0x169' });
  });

  it('a null block below a height the caller vouched for is retried even when no head can be read', async () => {
    let nulls = 1;
    const s = await server({ handle: (method) => (method === 'eth_getBlockByNumber' ? (nulls-- > 0 ? null : { number: '0x3e8' }) : undefined) });
    const rpc = pool({ urls: [s.url] });
    rpc.noteHeight(2000);
    expect(await rpc.request('eth_getBlockByNumber', ['0x3e8', false])).toEqual({ number: '0x3e8' });
  });

  it('a missing fixture fails fast with the file name it looked for', async () => {
    const s = await server({ dirs: [] });
    const rpc = pool({ urls: [s.url] });
    const error = await rejection(rpc.request('eth_getCode', ['0xABC', 'latest']));
    expect(error).toBeInstanceOf(RpcMethodNotFoundError);
    expect(error.message).toContain('web3_response.eth_getCode_0xabc_latest.json');
  });
});

describe('createRpcPool endpoints', () => {
  it('fails over from a failing endpoint to a healthy one', async () => {
    const bad = await server({ faults: () => ({ type: 'status', status: 500 }) });
    const good = await server();
    const rpc = pool({ urls: [bad.url, good.url], maxRetries: 2, batchSize: 2 });
    const requests = Array.from({ length: 20 }, (_, i) => ({ method: 'echo', params: [i] }));
    expect(await rpc.batch<number>(requests)).toEqual(requests.map((r) => r.params[0]));
    const okCalls = good.requests.filter((r) => r.method === 'echo').length;
    expect(okCalls).toBe(20);
    expect(rpc.endpoints()[0]?.consecutiveFailures).toBeGreaterThan(0);
  });

  it('fails over from a closed port', async () => {
    const dead = await server();
    const deadUrl = dead.url;
    await dead.close();
    const good = await server();
    const rpc = pool({ urls: [deadUrl, good.url], maxRetries: 2 });
    for (let i = 0; i < 5; i++) expect(await rpc.request('echo', [i])).toBe(i);
  });

  it('avoids an endpoint whose head lags more than maxHeadLag blocks', async () => {
    const lagging = await server({ handle: (method, params) => (method === 'eth_blockNumber' ? '0x10' : echoHandler(method, params)) });
    const ahead = await server({ handle: (method, params) => (method === 'eth_blockNumber' ? '0x100' : echoHandler(method, params)) });
    const rpc = pool({ urls: [lagging.url, ahead.url], maxHeadLag: 8 });
    for (let i = 0; i < 10; i++) await rpc.request('echo', [i]);
    expect(lagging.requests.filter((r) => r.method === 'echo')).toHaveLength(0);
    expect(ahead.requests.filter((r) => r.method === 'echo')).toHaveLength(10);
    expect(rpc.endpoints().map((e) => [e.head, e.lagging])).toEqual([
      [16, true],
      [256, false],
    ]);
  });

  it('spreads concurrent calls over equally healthy endpoints (least in flight)', async () => {
    const a = await server();
    const b = await server();
    const rpc = pool({ urls: [a.url, b.url] });
    await Promise.all(Array.from({ length: 10 }, (_, i) => rpc.request('echo', [i])));
    expect(a.requests.filter((r) => r.method === 'echo')).toHaveLength(5);
    expect(b.requests.filter((r) => r.method === 'echo')).toHaveLength(5);
  });

  it('routes around an endpoint busy with a slow call', async () => {
    const slow = await server({ faults: [undefined, { type: 'delay', ms: 400 }] });
    const fast = await server();
    const rpc = pool({ urls: [slow.url, fast.url] });
    await rpc.checkHealth();
    const pending = rpc.request('echo', ['slow']);
    // The slow endpoint now has one call in flight; the next calls go to the idle one.
    for (let i = 0; i < 5; i++) await rpc.request('echo', [i]);
    expect(await pending).toBe('slow');
    expect(fast.requests.filter((r) => r.method === 'echo')).toHaveLength(5);
  });
});

describe('createRpcPool rate cap', () => {
  it('counts every JSON-RPC call against maxRps and throttles beyond it', async () => {
    const s = await server();
    const rpc = pool({ urls: [s.url], maxRps: 20, batchSize: 10 });
    await rpc.batch(Array.from({ length: 20 }, (_, i) => ({ method: 'echo', params: [i] })));
    expect(rpc.stats().throttled).toBe(0);
    await rpc.batch(Array.from({ length: 10 }, (_, i) => ({ method: 'echo', params: [i] })));
    expect(rpc.stats().throttled).toBe(1);
  });
});

describe('secrets in endpoint URLs', () => {
  const KEY = 'abcdef0123456789SECRETKEY';
  const secretUrl = (base: string) => base.replace('http://', 'http://alice:hunter2pass@') + `v3/${KEY}?apikey=QUERYSECRET`;
  const leaks = (text: string) => text.includes('SECRET') || text.includes('hunter2') || text.includes(KEY);

  function fullText(error: unknown): string {
    const parts: string[] = [];
    let current: unknown = error;
    while (current instanceof Error) {
      parts.push(String(current), current.message, JSON.stringify((current as { context?: unknown }).context ?? {}), JSON.stringify((current as { fields?: unknown }).fields ?? {}));
      current = current.cause;
    }
    return parts.join('\n');
  }

  it.each([
    ['unavailable', { faults: () => ({ type: 'status', status: 503 }) as const }, RpcUnavailableError],
    ['malformed', { faults: () => ({ type: 'truncate' }) as const }, RpcUnavailableError],
    ['method not found', { faults: () => ({ type: 'rpcError', code: -32601, message: 'nope' }) as const }, RpcMethodNotFoundError],
    ['block not found', { handle: (method: string) => (method === 'eth_blockNumber' ? '0x0' : null) }, RpcBlockNotFoundError],
  ] as const)('%s error never shows the key', async (_name, serverOptions, type) => {
    const s = await server(serverOptions as ReplayServerOptions);
    const registry = createMetricsRegistry();
    const rpc = pool({ urls: [secretUrl(s.url)], maxRetries: 1, registry });
    const error = await rejection(rpc.request('eth_getBlockByNumber', ['0x1', false]));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toContain('127.0.0.1');
    expect(leaks(fullText(error))).toBe(false);
    expect(leaks(rpc.describe())).toBe(false);
    expect(leaks(await registry.metrics())).toBe(false);
  });

  it('an unreachable endpoint with a key is named masked', async () => {
    const s = await server();
    const url = secretUrl(s.url);
    await s.close();
    const rpc = pool({ urls: [url], maxRetries: 0 });
    const error = await rejection(rpc.request('echo', [1]));
    expect(error).toBeInstanceOf(RpcUnavailableError);
    expect(error.message).toContain('***');
    expect(leaks(fullText(error))).toBe(false);
  });
});

describe('metrics', () => {
  it('counts calls by method, endpoint host and outcome, with latency per request', async () => {
    const s = await server({ faults: [{ type: 'status', status: 429 }] });
    const registry = createMetricsRegistry();
    const rpc = pool({ urls: [s.url], registry, batchSize: 5 });
    await rpc.batch(Array.from({ length: 10 }, (_, i) => ({ method: 'echo', params: [i] })));
    const host = new URL(s.url).host;
    const calls = await registry.getSingleMetricAsString('ledgerflow_rpc_calls_total');
    expect(calls).toContain(`ledgerflow_rpc_calls_total{method="echo",endpoint="${host}",outcome="ok"} 10`);
    expect(calls).toContain(`ledgerflow_rpc_calls_total{method="echo",endpoint="${host}",outcome="rate_limited"} 5`);
    const duration = await registry.getSingleMetricAsString('ledgerflow_rpc_request_duration_seconds');
    expect(duration).toContain(`ledgerflow_rpc_request_duration_seconds_count{method="echo",endpoint="${host}"} 3`);
    const retries = await registry.getSingleMetricAsString('ledgerflow_rpc_retries_total');
    expect(retries).toContain(`ledgerflow_rpc_retries_total{endpoint="${host}",kind="rate_limited"} 1`);
  });

  it('two pools can share one registry', async () => {
    const s = await server();
    const registry = createMetricsRegistry();
    const first = pool({ urls: [s.url], registry });
    const second = pool({ urls: [s.url], registry });
    await first.request('echo', [1]);
    await second.request('echo', [2]);
    expect(await registry.getSingleMetricAsString('ledgerflow_rpc_calls_total')).toContain('outcome="ok"} 2');
  });
});
