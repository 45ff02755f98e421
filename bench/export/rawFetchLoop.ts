import { Pool } from 'undici';

export interface RawFetchShape {
  /** Blocks per pipeline step. */
  blockBatch: number;
  /** JSON-RPC calls per HTTP request. */
  callsPerHttp: number;
  /** Steps in flight at once. */
  prefetch: number;
}

/**
 * The export benchmark's baseline: the exporter's requests for blocks 0..blocks-1 (full blocks and
 * block receipts), in the same batches and pipeline depth, on the same HTTP client the RPC pool
 * uses (undici Pool, keep-alive); answers are parsed and dropped. Returns the JSON characters read.
 */
export async function rawFetchLoop(url: string, blocks: number, shape: RawFetchShape): Promise<number> {
  let chars = 0;
  const origin = new URL(url);
  const http = new Pool(origin.origin, { connections: 16, pipelining: 1 });
  const post = async (calls: Array<{ method: string; params: unknown[] }>) => {
    const parts: Array<Promise<unknown>> = [];
    for (let i = 0; i < calls.length; i += shape.callsPerHttp) {
      const body = JSON.stringify(calls.slice(i, i + shape.callsPerHttp).map((c, k) => ({ jsonrpc: '2.0', id: k, ...c })));
      parts.push(
        http.request({ method: 'POST', path: origin.pathname, headers: { 'content-type': 'application/json' }, body }).then(async (r) => {
          const text = await r.body.text();
          chars += text.length;
          return JSON.parse(text) as unknown;
        }),
      );
    }
    return Promise.all(parts);
  };
  const fetchBatch = (first: number) => {
    const numbers = Array.from({ length: Math.min(shape.blockBatch, blocks - first) }, (_, i) => `0x${(first + i).toString(16)}`);
    return Promise.all([
      post(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [n, true] }))),
      post(numbers.map((n) => ({ method: 'eth_getBlockReceipts', params: [n] }))),
    ]);
  };
  try {
    const pending: Array<Promise<unknown>> = [];
    let next = 0;
    while (next < blocks || pending.length > 0) {
      while (pending.length < shape.prefetch && next < blocks) {
        pending.push(fetchBatch(next));
        next += shape.blockBatch;
      }
      await pending.shift();
    }
  } finally {
    await http.close();
  }
  return chars;
}
