import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * A real JSON-RPC server on 127.0.0.1:<random port> that answers from ethereum-etl recorded
 * responses (`web3_response.<method>_<params...>.json`, spec section 6.1), batches included. It can
 * also inject faults per HTTP request, so retry and failover tests exercise real sockets.
 */
export interface ReplayServerOptions {
  /** Fixture folders, searched in order; the first holding a file name wins. */
  dirs?: readonly string[];
  /** Faults for the 1st, 2nd... HTTP request (array), or decided per request number (1-based). */
  faults?: readonly (ReplayFault | undefined)[] | ((requestNumber: number) => ReplayFault | undefined);
  /**
   * Answers a call before the fixture files are consulted; return undefined to fall through,
   * throw a ReplayRpcError to answer with a JSON-RPC error object.
   */
  handle?: (method: string, params: readonly unknown[]) => unknown;
}

export type ReplayFault =
  | { type: 'status'; status: number; retryAfterSeconds?: number; body?: string }
  /** Waits before answering normally (past the client's timeout, if the test wants one). */
  | { type: 'delay'; ms: number }
  /** Sends the first half of the real reply with a matching Content-Length: valid HTTP, broken JSON. */
  | { type: 'truncate' }
  /** Destroys the socket without answering. */
  | { type: 'reset' }
  /** Answers every call of the request with this JSON-RPC error inside HTTP 200. */
  | { type: 'rpcError'; code: number; message: string }
  /** Replaces the whole reply body. */
  | { type: 'body'; body: string };

/** Thrown by a `handle` function: the call is answered with this JSON-RPC error object. */
export class ReplayRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RecordedCall {
  method: string;
  params: unknown[];
}

export interface ReplayServer {
  url: string;
  /** Every JSON-RPC call received, in arrival order (batch elements one by one). */
  requests: RecordedCall[];
  /** HTTP requests received, including faulted ones. */
  httpRequests(): number;
  close(): Promise<void>;
}

interface Envelope {
  jsonrpc: '2.0';
  id: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

/** The recorded-response file name for a call (ethereum-etl's naming rule). */
export function fixtureFileName(method: string, params: readonly unknown[]): string {
  return `web3_response.${method}_${params.map(renderParam).join('_')}.json`;
}

function renderParam(value: unknown): string {
  if (Array.isArray(value)) return value.map(renderParam).join('_');
  if (value !== null && typeof value === 'object') {
    // Sorted by code point (not localeCompare), so upper case sorts first, as in Python.
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return keys.map((key) => `${key}_${renderParam((value as Record<string, unknown>)[key])}`).join('_');
  }
  if (value === null || value === undefined) return 'none';
  return String(value).toLowerCase();
}

export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const files = new Map<string, string>();
  for (const dir of options.dirs ?? []) {
    for (const name of readdirSync(dir)) {
      if (name.startsWith('web3_response.') && !files.has(name)) files.set(name, join(dir, name));
    }
  }
  const cache = new Map<string, { result?: unknown; error?: { code: number; message: string } }>();
  const requests: RecordedCall[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let httpCount = 0;

  const answer = (call: { id?: unknown; method?: unknown; params?: unknown }): Envelope => {
    const method = typeof call.method === 'string' ? call.method : '';
    const params = Array.isArray(call.params) ? (call.params as unknown[]) : [];
    requests.push({ method, params });
    if (options.handle) {
      let handled: unknown;
      try {
        handled = options.handle(method, params);
      } catch (error) {
        if (!(error instanceof ReplayRpcError)) throw error;
        return { jsonrpc: '2.0', id: call.id ?? null, error: { code: error.code, message: error.message } };
      }
      if (handled !== undefined) return { jsonrpc: '2.0', id: call.id ?? null, result: handled };
    }
    const name = fixtureFileName(method, params);
    const path = files.get(name);
    if (!path) {
      const message = `no recorded response ${name} in ${(options.dirs ?? []).length} fixture folder(s)`;
      // A missing eth_call fixture stands for a reverted call (ethereum-etl's token tests rely on
      // it); anything else fails fast as a permanent error instead of being retried.
      const error = method === 'eth_call' ? { code: -32000, message: `execution reverted: ${message}` } : { code: -32601, message };
      return { jsonrpc: '2.0', id: call.id ?? null, error };
    }
    let recorded = cache.get(name);
    if (!recorded) {
      recorded = JSON.parse(readFileSync(path, 'utf8')) as { result?: unknown; error?: { code: number; message: string } };
      cache.set(name, recorded);
    }
    return recorded.error ? { jsonrpc: '2.0', id: call.id ?? null, error: recorded.error } : { jsonrpc: '2.0', id: call.id ?? null, result: recorded.result ?? null };
  };

  const faultFor = (n: number): ReplayFault | undefined => {
    const faults = options.faults;
    if (!faults) return undefined;
    return typeof faults === 'function' ? faults(n) : faults[n - 1];
  };

  const respond = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  const handleHttp = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    httpCount++;
    const fault = faultFor(httpCount);
    if (fault?.type === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.type === 'status') {
      respond(res, fault.status, fault.body ?? `{"error":"injected HTTP ${fault.status}"}`, fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) });
      return;
    }
    if (fault?.type === 'body') {
      respond(res, 200, fault.body);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      respond(res, 200, JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } }));
      return;
    }
    const calls = Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [parsed as Record<string, unknown>];
    let envelopes = calls.map(answer);
    if (fault?.type === 'rpcError') envelopes = envelopes.map((e) => ({ jsonrpc: '2.0', id: e.id, error: { code: fault.code, message: fault.message } }));
    const body = JSON.stringify(Array.isArray(parsed) ? envelopes : envelopes[0]);
    if (fault?.type === 'truncate') {
      respond(res, 200, body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    if (fault?.type === 'delay') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        respond(res, 200, body);
      }, fault.ms);
      timers.add(timer);
      return;
    }
    respond(res, 200, body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handleHttp(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    httpRequests: () => httpCount,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
