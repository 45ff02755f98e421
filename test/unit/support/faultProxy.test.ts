import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FAULT_KINDS, forkedHash, startFaultProxy, type FaultKind, type FaultProxy, type FaultProxyOptions } from '../../support/faultProxy.js';
import { startReplayServer, type ReplayServer } from '../../support/replayServer.js';

// A small synthetic chain served over real HTTP by the replay server: head 100, every block with
// two transactions, each with one receipt, one log and one trace, all naming their block hash.
const HEAD = 100;
const hex = (n: number): string => `0x${n.toString(16)}`;
const blockHash = (n: number): string => `0xb10c${n.toString(16).padStart(60, '0')}`;
const txHash = (n: number, i: number): string => `0x7a${i.toString(16).padStart(2, '0')}${n.toString(16).padStart(60, '0')}`;

function block(n: number, full: boolean): unknown {
  const txs = [0, 1].map((i) => (full ? { hash: txHash(n, i), blockHash: blockHash(n), blockNumber: hex(n), transactionIndex: hex(i) } : txHash(n, i)));
  return { number: hex(n), hash: blockHash(n), parentHash: blockHash(n - 1), transactions: txs };
}
const log = (n: number, i: number) => ({ address: '0x00000000000000000000000000000000000000aa', blockHash: blockHash(n), blockNumber: hex(n), transactionHash: txHash(n, i), logIndex: hex(i) });
const receipts = (n: number) => [0, 1].map((i) => ({ transactionHash: txHash(n, i), blockHash: blockHash(n), blockNumber: hex(n), logs: [log(n, i)] }));
const traces = (n: number) => [0, 1].map((i) => ({ action: { callType: 'call' }, blockHash: blockHash(n), blockNumber: n, transactionHash: txHash(n, i), type: 'call' }));

function chain(method: string, params: readonly unknown[]): unknown {
  const numberParam = (value: unknown): number => (value === 'latest' ? HEAD : Number.parseInt(String(value), 16));
  const known = (n: number) => n <= HEAD;
  switch (method) {
    case 'eth_blockNumber':
      return hex(HEAD);
    case 'eth_chainId':
      return '0x1';
    case 'eth_getBlockByNumber': {
      const n = numberParam(params[0]);
      return known(n) ? block(n, params[1] === true) : null;
    }
    case 'eth_getBlockByHash': {
      const n = Number.parseInt(String(params[0]).slice(6), 16);
      return known(n) ? block(n, params[1] === true) : null;
    }
    case 'eth_getBlockReceipts':
      return known(numberParam(params[0])) ? receipts(numberParam(params[0])) : null;
    case 'trace_block':
      return known(numberParam(params[0])) ? traces(numberParam(params[0])) : null;
    case 'debug_traceBlockByNumber':
      return known(numberParam(params[0])) ? [0, 1].map((i) => ({ txHash: txHash(numberParam(params[0]), i), result: { type: 'CALL' } })) : null;
    case 'eth_getLogs': {
      const filter = params[0] as { fromBlock: string; toBlock: string };
      const out = [];
      for (let n = numberParam(filter.fromBlock); n <= numberParam(filter.toBlock); n++) out.push(log(n, 0), log(n, 1));
      return out;
    }
    case 'eth_call':
      return `0x${'00'.repeat(31)}12`;
    default:
      return undefined;
  }
}

const call = (id: number | string, method: string, params: unknown[] = []) => ({ jsonrpc: '2.0', id, method, params });

interface Seen {
  status: number;
  headers: Headers;
  text: string;
}

async function send(url: string, body: unknown, signal?: AbortSignal): Promise<Seen> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

type Reply = { id: unknown; result?: unknown; error?: { code: number; message: string } };
const json = <T = Reply[]>(seen: Seen): T => JSON.parse(seen.text) as T;

let upstream: ReplayServer;
const proxies: FaultProxy[] = [];
beforeEach(async () => {
  upstream = await startReplayServer({ handle: chain });
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
  await upstream.close();
});

async function proxy(options: Partial<FaultProxyOptions> = {}): Promise<FaultProxy> {
  const started = await startFaultProxy({ upstream: upstream.url, ...options });
  proxies.push(started);
  return started;
}
const only = (kind: FaultKind, extra: Partial<FaultProxyOptions> = {}) => proxy({ rate: 1, kinds: [kind], ...extra });

const MIXED_BATCH = [
  call(1, 'eth_blockNumber'),
  call(2, 'eth_getBlockByNumber', ['0x40', true]),
  call(3, 'eth_getBlockReceipts', ['0x40']),
  call(4, 'trace_block', ['0x40']),
  call(5, 'eth_getLogs', [{ fromBlock: '0x40', toBlock: '0x40' }]),
  call(6, 'debug_traceBlockByNumber', ['0x40', { tracer: 'callTracer' }]),
  call(7, 'eth_chainId'),
];

describe('startFaultProxy: no fault', () => {
  it('at rate 0 forwards single calls and batches byte-identical, status and content-type included', async () => {
    const p = await proxy({ rate: 0 });
    for (const body of [call(1, 'eth_getBlockByNumber', ['0x10', true]), MIXED_BATCH, [call('a', 'eth_call', [{ to: '0x01', data: '0x' }, 'latest'])]]) {
      const direct = await send(upstream.url, body);
      const through = await send(p.url, body);
      expect(through.status).toBe(200);
      expect(through.headers.get('content-type')).toBe(direct.headers.get('content-type'));
      expect(through.text).toBe(direct.text);
    }
    expect(p.stats()).toEqual({ requests: 3, forwarded: 3, faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) });
  });

  it('forwards untouched when no enabled kind applies to the request', async () => {
    const p = await proxy({ rate: 1, kinds: ['reorderedBatch', 'missingId', 'nullBlock', 'fork', 'stateUnavailable'] });
    const direct = await send(upstream.url, call(1, 'eth_blockNumber'));
    expect((await send(p.url, call(1, 'eth_blockNumber'))).text).toBe(direct.text);
    expect(p.stats().forwarded).toBe(1);
  });

  it('answers 502 when the upstream is unreachable', async () => {
    const dead = await startReplayServer();
    const url = dead.url;
    await dead.close();
    const p = await startFaultProxy({ upstream: url });
    proxies.push(p);
    const seen = await send(p.url, call(1, 'eth_blockNumber'));
    expect(seen.status).toBe(502);
    expect(seen.text).toMatch(/^fault proxy: upstream http:\/\/127\.0\.0\.1:\d+ failed/);
  });

  it('rejects bad options', async () => {
    await expect(startFaultProxy({ upstream: 'ftp://x/' })).rejects.toThrow(/http/);
    await expect(startFaultProxy({ upstream: upstream.url, rate: 1.5 })).rejects.toThrow(RangeError);
    await expect(startFaultProxy({ upstream: upstream.url, kinds: ['nope' as FaultKind] })).rejects.toThrow(/unknown fault kind nope/);
  });
});

describe('startFaultProxy: each fault kind at rate 1', () => {
  it('http500: status 500 with a short text body, upstream not asked', async () => {
    const p = await only('http500');
    const seen = await send(p.url, MIXED_BATCH);
    expect(seen.status).toBe(500);
    expect(seen.headers.get('content-type')).toBe('text/plain');
    expect(seen.text).toBe('Internal Server Error\n');
    expect(upstream.httpRequests()).toBe(0);
    expect(p.stats().faults.http500).toBe(1);
  });

  it('http429: status 429 with Retry-After 0 by default, or the configured seconds', async () => {
    const p = await only('http429');
    const seen = await send(p.url, call(1, 'eth_chainId'));
    expect(seen.status).toBe(429);
    expect(seen.headers.get('retry-after')).toBe('0');
    const slower = await only('http429', { retryAfterSeconds: 3 });
    expect((await send(slower.url, call(1, 'eth_chainId'))).headers.get('retry-after')).toBe('3');
  });

  it('reset: the connection drops without a reply', async () => {
    const p = await only('reset');
    await expect(send(p.url, call(1, 'eth_chainId'))).rejects.toThrow(/fetch failed/);
    expect(p.stats().faults.reset).toBe(1);
  });

  it('hang: nothing until hangMs, then the socket drops; a shorter client timeout fires first', async () => {
    const p = await only('hang', { hangMs: 150 });
    const started = Date.now();
    await expect(send(p.url, call(1, 'eth_chainId'))).rejects.toThrow(/fetch failed/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(send(p.url, call(1, 'eth_chainId'), AbortSignal.timeout(30))).rejects.toThrow(/aborted/i);
    expect(p.stats().faults.hang).toBe(2);
  });

  it('hang: close() drops hanging sockets at once', async () => {
    const p = await only('hang', { hangMs: 60_000 });
    const pending = send(p.url, call(1, 'eth_chainId'));
    const failed = expect(pending).rejects.toThrow(/fetch failed/);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const started = Date.now();
    await p.close();
    await failed;
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('truncated: status 200, Content-Length of the first half, unparseable JSON', async () => {
    const p = await only('truncated');
    const direct = await send(upstream.url, MIXED_BATCH);
    const seen = await send(p.url, MIXED_BATCH);
    const half = Math.floor(Buffer.byteLength(direct.text) / 2);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-length')).toBe(String(half));
    expect(seen.text).toBe(direct.text.slice(0, half));
    expect(() => JSON.parse(seen.text) as unknown).toThrow();
  });

  it('html: status 200 with a load balancer HTML page', async () => {
    const p = await only('html');
    const seen = await send(p.url, call(1, 'eth_chainId'));
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('text/html');
    expect(seen.text).toMatch(/^<html>[\s\S]*502 Bad Gateway[\s\S]*<\/html>\r\n$/);
    expect(upstream.httpRequests()).toBe(0);
  });

  it('headerNotFound: -32000 "header not found" for every id of a batch, one object for a single call', async () => {
    const p = await only('headerNotFound');
    const error = { code: -32000, message: 'header not found' };
    expect(json(await send(p.url, [call(4, 'eth_getBlockByNumber', ['0x1', false]), call('x', 'eth_blockNumber')]))).toEqual([
      { jsonrpc: '2.0', id: 4, error },
      { jsonrpc: '2.0', id: 'x', error },
    ]);
    expect(json(await send(p.url, call(9, 'eth_chainId')))).toEqual({ jsonrpc: '2.0', id: 9, error });
    expect(upstream.httpRequests()).toBe(0);
    expect(p.stats().faults.headerNotFound).toBe(2);
  });

  it('reorderedBatch: the same answers under their ids, in another order; a single call is untouched', async () => {
    const p = await only('reorderedBatch');
    const direct = json(await send(upstream.url, MIXED_BATCH));
    for (const body of [MIXED_BATCH, MIXED_BATCH.slice(0, 2)]) {
      const seen = json(await send(p.url, body));
      expect(seen.map((r) => r.id)).not.toEqual(body.map((c) => c.id));
      expect([...seen].sort((a, b) => Number(a.id) - Number(b.id))).toEqual(direct.slice(0, body.length));
    }
    expect((await send(p.url, call(1, 'eth_chainId'))).text).toBe((await send(upstream.url, call(1, 'eth_chainId'))).text);
    expect(p.stats()).toMatchObject({ requests: 3, forwarded: 1, faults: { reorderedBatch: 2 } });
  });

  it('missingId: one answer of the batch is dropped, the others are unchanged', async () => {
    const p = await only('missingId');
    const direct = json(await send(upstream.url, MIXED_BATCH));
    const seen = json(await send(p.url, MIXED_BATCH));
    expect(seen).toHaveLength(MIXED_BATCH.length - 1);
    const missing = direct.filter((r) => !seen.some((s) => s.id === r.id));
    expect(missing).toHaveLength(1);
    expect(seen).toEqual(direct.filter((r) => r !== missing[0]));
  });

  it('nullBlock: block, receipt and trace calls answer null; eth_blockNumber and the rest keep their answers', async () => {
    const p = await only('nullBlock');
    const direct = json(await send(upstream.url, MIXED_BATCH));
    const seen = json(await send(p.url, MIXED_BATCH));
    expect(seen.map((r) => [r.id, r.result === null])).toEqual([
      [1, false],
      [2, true],
      [3, true],
      [4, true],
      [5, false],
      [6, true],
      [7, false],
    ]);
    expect(seen[0]).toEqual(direct[0]);
    expect(seen[4]).toEqual(direct[4]);
    expect(json<Reply>(await send(p.url, call(3, 'eth_getBlockByHash', [blockHash(5), false])))).toEqual({ jsonrpc: '2.0', id: 3, result: null });
    // Nothing for this kind to act on: forwarded as is.
    expect(json<Reply>(await send(p.url, call(1, 'eth_blockNumber'))).result).toBe(hex(HEAD));
    expect(p.stats()).toMatchObject({ forwarded: 1, faults: { nullBlock: 2 } });
  });

  it('fork: every block hash and blockHash becomes the sibling hash, parentHash and transaction hashes stay', async () => {
    const p = await only('fork');
    const seen = json(await send(p.url, MIXED_BATCH));
    const sibling = forkedHash(blockHash(0x40));
    expect(sibling).not.toBe(blockHash(0x40));
    expect(sibling).toMatch(/^0x[0-9a-f]{64}$/);
    expect(sibling.slice(0, 58)).toBe(blockHash(0x40).slice(0, 58));
    expect(forkedHash(sibling)).toBe(blockHash(0x40));

    const byId = new Map(seen.map((r) => [r.id, r.result]));
    const forkedBlock = byId.get(2) as { hash: string; parentHash: string; transactions: { hash: string; blockHash: string }[] };
    expect(forkedBlock.hash).toBe(sibling);
    expect(forkedBlock.parentHash).toBe(blockHash(0x3f));
    expect(forkedBlock.transactions.map((t) => [t.hash, t.blockHash])).toEqual([
      [txHash(0x40, 0), sibling],
      [txHash(0x40, 1), sibling],
    ]);
    const forkedReceipts = byId.get(3) as { transactionHash: string; blockHash: string; logs: { blockHash: string }[] }[];
    expect(forkedReceipts.map((r) => [r.transactionHash, r.blockHash, r.logs[0]?.blockHash])).toEqual([
      [txHash(0x40, 0), sibling, sibling],
      [txHash(0x40, 1), sibling, sibling],
    ]);
    expect((byId.get(4) as { blockHash: string }[]).map((t) => t.blockHash)).toEqual([sibling, sibling]);
    expect((byId.get(5) as { blockHash: string }[]).map((l) => l.blockHash)).toEqual([sibling, sibling]);
    expect(byId.get(1)).toBe(hex(HEAD));
    expect(seen.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('stateUnavailable: each eth_call gets geth\'s "missing trie node ... is not available", other calls their answer', async () => {
    const p = await only('stateUnavailable');
    const ethCall = (id: number) => call(id, 'eth_call', [{ to: '0x00000000000000000000000000000000000000aa', data: '0x313ce567' }, '0x40']);
    const seen = json(await send(p.url, [ethCall(1), call(2, 'eth_blockNumber'), ethCall(3)]));
    expect(seen[1]).toEqual({ jsonrpc: '2.0', id: 2, result: hex(HEAD) });
    for (const reply of [seen[0], seen[2]]) {
      expect(reply?.result).toBeUndefined();
      expect(reply?.error?.code).toBe(-32000);
      expect(reply?.error?.message).toMatch(/^missing trie node [0-9a-f]{64} \(path \) state 0x[0-9a-f]{64} is not available$/);
    }
    expect(seen.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(json<Reply>(await send(p.url, ethCall(8))).error?.code).toBe(-32000);
    expect(p.stats().faults.stateUnavailable).toBe(2);
  });
});

describe('startFaultProxy: lagBlocks', () => {
  it('answers like a node 5 blocks behind, at rate 0', async () => {
    const p = await proxy({ lagBlocks: 5 });
    const lagged = HEAD - 5;
    const seen = json(
      await send(p.url, [
        call(1, 'eth_blockNumber'),
        call(2, 'eth_getBlockByNumber', [hex(lagged), false]),
        call(3, 'eth_getBlockByNumber', [hex(lagged + 1), false]),
        call(4, 'eth_getBlockReceipts', [hex(lagged + 2)]),
        call(5, 'trace_block', [hex(lagged)]),
        call(6, 'eth_getBlockByHash', [blockHash(lagged + 3), false]),
        call(7, 'eth_getBlockByNumber', ['latest', false]),
      ]),
    );
    expect(seen.map((r) => [r.id, r.result === null])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
      [5, false],
      [6, true],
      [7, false],
    ]);
    expect(seen[0]?.result).toBe(hex(lagged));
    expect((seen[6]?.result as { number: string }).number).toBe(hex(lagged));
    expect(json<Reply>(await send(p.url, call(1, 'eth_blockNumber'))).result).toBe(hex(lagged));
    p.setLagBlocks(undefined);
    expect(json<Reply>(await send(p.url, call(1, 'eth_blockNumber'))).result).toBe(hex(HEAD));
    expect(p.stats()).toMatchObject({ requests: 3, forwarded: 3 });
  });
});

describe('startFaultProxy: switches and determinism', () => {
  it('setEnabled and setRate change behaviour from the next request on', async () => {
    const p = await only('http500');
    expect((await send(p.url, call(1, 'eth_chainId'))).status).toBe(500);
    p.setEnabled(false);
    expect((await send(p.url, call(1, 'eth_chainId'))).status).toBe(200);
    p.setEnabled(true);
    expect((await send(p.url, call(1, 'eth_chainId'))).status).toBe(500);
    p.setRate(0);
    expect((await send(p.url, call(1, 'eth_chainId'))).status).toBe(200);
    expect(() => p.setRate(-0.1)).toThrow(RangeError);
    expect(p.stats()).toMatchObject({ requests: 4, forwarded: 2, faults: { http500: 2 } });
  });

  /** Sends the same 60 requests in order; returns what the client saw and which faults were logged. */
  async function run(seed: number): Promise<{ seen: string[]; log: string[] }> {
    const log: string[] = [];
    const p = await proxy({ seed, rate: 0.5, hangMs: 5, onFault: (kind, n) => log.push(`${n}:${kind}`) });
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) {
      const body =
        i % 3 === 0
          ? [call(1, 'eth_getBlockByNumber', [hex(i), true]), call(2, 'eth_getBlockReceipts', [hex(i)]), call(3, 'eth_call', [{ to: '0x01', data: '0x' }, hex(i)])]
          : call(i, i % 3 === 1 ? 'eth_getLogs' : 'eth_blockNumber', i % 3 === 1 ? [{ fromBlock: hex(i), toBlock: hex(i) }] : []);
      try {
        const reply = await send(p.url, body);
        seen.push(`${reply.status} ${reply.text}`);
      } catch {
        seen.push('dropped');
      }
    }
    const stats = p.stats();
    expect(stats.requests).toBe(60);
    expect(stats.forwarded + Object.values(stats.faults).reduce((a, b) => a + b, 0)).toBe(60);
    return { seen, log };
  }

  it('the same seed injects the same faults in the same places; another seed does not', async () => {
    const first = await run(42);
    const second = await run(42);
    const other = await run(43);
    expect(second.seen).toEqual(first.seen);
    expect(second.log).toEqual(first.log);
    expect(other.log).not.toEqual(first.log);
    // About half the requests are faulted, with a spread of kinds.
    expect(first.log.length).toBeGreaterThan(15);
    expect(first.log.length).toBeLessThan(45);
    expect(new Set(first.log.map((entry) => entry.split(':')[1])).size).toBeGreaterThanOrEqual(6);
  });
});
