import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { mulberry32 } from '../../src/stack/seed/mulberry32.js';

/**
 * A real HTTP JSON-RPC proxy on 127.0.0.1 that sits between a client (the RPC pool, a worker)
 * and a real node (anvil, the replay server) and injects the faults that real nodes, load
 * balancers and hosted providers produce.
 *
 * Every decision is a pure function of the seed and the HTTP request's arrival number, so a run
 * with the same seed and the same request order injects the same faults in the same places.
 * That makes a failing chaos run reproducible without recording anything.
 */

/**
 * What the proxy can do to a request. Why each exists (what it models):
 * - `http500`: a provider or load balancer whose backend crashed or errored (HTTP 500).
 * - `http429`: a hosted provider's rate limit, with `Retry-After` (0 s by default, to keep tests fast).
 * - `reset`: a backend killed mid-request or an idle keep-alive closed by a load balancer: the
 *   connection drops with no reply.
 * - `hang`: an overloaded node that accepts the request and never answers; only the client's
 *   timeout gets it out.
 * - `truncated`: a proxy or node that stops writing mid-body (crash, size limit) while the HTTP
 *   framing still looks complete: valid HTTP, unparseable JSON.
 * - `html`: a load balancer or CDN error page served with status 200 instead of JSON.
 * - `headerNotFound`: geth's -32000 "header not found" from a node behind the others, or a load
 *   balancer routing to such a node, for every call in the request.
 * - `reorderedBatch`: servers may answer a batch in any order (JSON-RPC 2.0 allows it; some
 *   providers parallelise batches); only ids tie answers to calls.
 * - `missingId`: providers that silently drop a batch element (per-call rate limits, internal
 *   fan-out failures).
 * - `nullBlock`: a lagging node behind a load balancer that answers `null` for a block it does
 *   not have yet, although another node already reported it.
 * - `fork`: an endpoint on another fork (or before a reorg settles) with a different block at the
 *   same height: every block hash in the reply is replaced by a sibling, self-consistently.
 * - `stateUnavailable`: a pruned (non-archive) node that cannot serve historical state for
 *   `eth_call`, which must not be mistaken for a revert.
 */
export const FAULT_KINDS = [
  'http500',
  'http429',
  'reset',
  'hang',
  'truncated',
  'html',
  'headerNotFound',
  'reorderedBatch',
  'missingId',
  'nullBlock',
  'fork',
  'stateUnavailable',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultProxyOptions {
  /** http(s) URL of the real node every request is forwarded to. */
  upstream: string;
  /** Probability (0..1) that one HTTP request gets a fault. Default 0: a transparent proxy. */
  rate?: number;
  /** PRNG seed (any 32-bit integer). Default 1. */
  seed?: number;
  /** Kinds that may be injected. Default: all of FAULT_KINDS. */
  kinds?: readonly FaultKind[];
  /** How long `hang` holds the request before dropping the socket. Default 2000 ms. */
  hangMs?: number;
  /** `Retry-After` of a `http429` answer. Default 0 so retry tests stay fast. */
  retryAfterSeconds?: number;
  /**
   * Act as a node this many blocks behind upstream, on every request and independent of `rate`:
   * eth_blockNumber answers upstream head - lagBlocks, block calls above that height answer null
   * and `latest` in block calls means the lagged head. Costs one extra upstream eth_blockNumber
   * per request that holds a block call.
   */
  lagBlocks?: number;
  /** Listening port; default 0 (a free one). */
  port?: number;
  /** Called once per injected fault, with the 1-based HTTP request number (for chaos-run logs). */
  onFault?: (kind: FaultKind, requestNumber: number) => void;
}

export interface FaultProxyStats {
  /** HTTP requests received. */
  requests: number;
  /** Requests answered with the upstream's reply and no injected fault (lag rewriting included). */
  forwarded: number;
  /** Injected faults per kind. */
  faults: Record<FaultKind, number>;
}

export interface FaultProxy {
  /** The proxy's URL, to use in place of the upstream's. */
  url: string;
  stats(): FaultProxyStats;
  /** Changes the fault probability from the next request on. */
  setRate(rate: number): void;
  /** Switches fault injection off and on without restarting (lagBlocks is not affected). */
  setEnabled(on: boolean): void;
  /** Changes (or, with undefined or 0, ends) the simulated lag from the next request on. */
  setLagBlocks(blocks: number | undefined): void;
  /** Stops listening and drops every open connection, hanging ones included. */
  close(): Promise<void>;
}

/** Calls whose answer is a block (or per-block data) that a node behind the others does not have. */
const BLOCK_METHODS: ReadonlySet<string> = new Set([
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBlockReceipts',
  'trace_block',
  'debug_traceBlockByNumber',
]);

/** Calls whose answers carry block hashes (block objects, transactions, receipts, logs, traces). */
const HASH_BEARING_METHODS: ReadonlySet<string> = new Set([
  'eth_getBlockByNumber',
  'eth_getBlockByHash',
  'eth_getBlockReceipts',
  'eth_getTransactionReceipt',
  'eth_getTransactionByHash',
  'eth_getTransactionByBlockNumberAndIndex',
  'eth_getTransactionByBlockHashAndIndex',
  'eth_getLogs',
  'eth_getFilterLogs',
  'eth_getFilterChanges',
  'trace_block',
  'trace_filter',
  'trace_transaction',
]);

/** Xor applied to a block hash's last 32 bits; any non-zero constant gives a distinct sibling. */
const FORK_XOR = 0x5eed_f00d;

/**
 * The hash the `fork` fault puts in place of `hash`: same length, same first 56 hex digits, the
 * last 8 xored with a constant. Applying it twice gives the original back.
 */
export function forkedHash(hash: string): string {
  const tail = (Number.parseInt(hash.slice(-8), 16) ^ FORK_XOR) >>> 0;
  return `${hash.slice(0, -8).toLowerCase()}${tail.toString(16).padStart(8, '0')}`;
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
const QUANTITY_RE = /^0x[0-9a-fA-F]{1,16}$/;

interface RpcCall {
  id: unknown;
  method: string;
  params: unknown[];
}

interface ParsedRequest {
  batch: boolean;
  calls: RpcCall[];
}

type Envelope = Record<string, unknown>;

interface UpstreamReply {
  status: number;
  contentType: string;
  retryAfter: string | undefined;
  body: Buffer;
}

/**
 * One generator per request, seeded from (seed, request number): a request's fault does not
 * depend on how many numbers earlier requests consumed (batch sizes, shuffles), nor on rate
 * changes or on/off switches in between.
 */
function requestRng(seed: number, requestNumber: number): () => number {
  let h = (seed ^ Math.imul(requestNumber, 0x9e37_79b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return mulberry32(h ^ (h >>> 16));
}

function randomHex(rng: () => number, digits: number): string {
  let out = '';
  while (out.length < digits) out += Math.floor(rng() * 0x1_0000_0000).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}

function parseRequest(raw: Buffer): ParsedRequest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  const toCall = (value: unknown): RpcCall => {
    const record = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
    return {
      id: record.id ?? null,
      method: typeof record.method === 'string' ? record.method : '',
      params: Array.isArray(record.params) ? (record.params as unknown[]) : [],
    };
  };
  if (Array.isArray(parsed)) return { batch: true, calls: parsed.map(toCall) };
  if (parsed !== null && typeof parsed === 'object') return { batch: false, calls: [toCall(parsed)] };
  return undefined;
}

/** The reply's envelopes as an array (a single reply becomes a one-element array), or undefined. */
function parseReply(reply: UpstreamReply): { batch: boolean; envelopes: Envelope[] } | undefined {
  if (reply.status !== 200) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(reply.body.toString('utf8'));
  } catch {
    return undefined;
  }
  const isEnvelope = (value: unknown): value is Envelope => value !== null && typeof value === 'object' && !Array.isArray(value);
  if (Array.isArray(parsed)) return parsed.every(isEnvelope) ? { batch: true, envelopes: parsed } : undefined;
  return isEnvelope(parsed) ? { batch: false, envelopes: [parsed] } : undefined;
}

function serializeReply(batch: boolean, envelopes: Envelope[]): string {
  return JSON.stringify(batch ? envelopes : envelopes[0]);
}

const idKey = (id: unknown): string => JSON.stringify(id ?? null);

/** The block a block call is about, from its number parameter or else from its answer. */
function blockNumberOf(call: RpcCall, result: unknown): number | undefined {
  const first = call.params[0];
  if (call.method !== 'eth_getBlockByHash' && typeof first === 'string' && QUANTITY_RE.test(first)) return Number.parseInt(first, 16);
  const sample = Array.isArray(result) ? (result[0] as unknown) : result;
  if (sample === null || typeof sample !== 'object') return undefined;
  const record = sample as Record<string, unknown>;
  const number = record.number ?? record.blockNumber;
  return typeof number === 'string' && QUANTITY_RE.test(number) ? Number.parseInt(number, 16) : typeof number === 'number' ? number : undefined;
}

/** Rewrites block hashes in place (see `fork`); returns whether anything changed. */
function forkInPlace(node: unknown): boolean {
  if (Array.isArray(node)) {
    let changed = false;
    for (const item of node) changed = forkInPlace(item) || changed;
    return changed;
  }
  if (node === null || typeof node !== 'object') return false;
  const record = node as Record<string, unknown>;
  let changed = false;
  // A block object is the one thing with both `hash` and `parentHash`; transactions also have a
  // `hash`, which stays (the same transaction can sit in either sibling block).
  if (typeof record.hash === 'string' && HASH_RE.test(record.hash) && typeof record.parentHash === 'string') {
    record.hash = forkedHash(record.hash);
    changed = true;
  }
  if (typeof record.blockHash === 'string' && HASH_RE.test(record.blockHash)) {
    record.blockHash = forkedHash(record.blockHash);
    changed = true;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key !== 'hash' && key !== 'blockHash' && key !== 'parentHash') changed = forkInPlace(value) || changed;
  }
  return changed;
}

const HTML_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  if (upstream.protocol !== 'http:' && upstream.protocol !== 'https:') throw new Error(`fault proxy: upstream must be http(s), got ${options.upstream}`);
  const upstreamPath = `${upstream.pathname}${upstream.search}`;
  const kinds = options.kinds ?? FAULT_KINDS;
  for (const kind of kinds) {
    if (!(FAULT_KINDS as readonly string[]).includes(kind)) throw new Error(`fault proxy: unknown fault kind ${String(kind)}; known: ${FAULT_KINDS.join(', ')}`);
  }
  const checkRate = (value: number): number => {
    if (!Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`fault proxy: rate must be within 0..1, got ${value}`);
    return value;
  };
  const checkLag = (value: number | undefined): number => {
    if (value === undefined) return 0;
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`fault proxy: lagBlocks must be a non-negative integer, got ${value}`);
    return value;
  };
  const seed = options.seed ?? 1;
  const hangMs = options.hangMs ?? 2000;
  const retryAfterSeconds = options.retryAfterSeconds ?? 0;
  let rate = checkRate(options.rate ?? 0);
  let lagBlocks = checkLag(options.lagBlocks);
  let enabled = true;
  let closed = false;

  let requestCount = 0;
  let forwarded = 0;
  const faults = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
  const timers = new Set<NodeJS.Timeout>();
  const pool = new Pool(upstream.origin, { connections: 64, pipelining: 1, keepAliveTimeout: 10_000 });

  const countFault = (kind: FaultKind, requestNumber: number): void => {
    faults[kind]++;
    options.onFault?.(kind, requestNumber);
  };

  const send = (res: ServerResponse, status: number, contentType: string, body: Buffer | string, headers: Record<string, string> = {}): void => {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  };

  const post = async (body: Buffer | string): Promise<UpstreamReply> => {
    const response = await pool.request({ path: upstreamPath, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bytes = Buffer.from(await response.body.arrayBuffer());
    const header = (name: string): string | undefined => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return { status: response.statusCode, contentType: header('content-type') ?? 'application/json', retryAfter: header('retry-after'), body: bytes };
  };

  const upstreamHead = async (): Promise<number> => {
    const reply = parseReply(await post('{"jsonrpc":"2.0","id":"fault-proxy-head","method":"eth_blockNumber","params":[]}'));
    const result = reply?.envelopes[0]?.result;
    if (typeof result !== 'string' || !QUANTITY_RE.test(result)) throw new Error('upstream eth_blockNumber gave no block number');
    return Number.parseInt(result, 16);
  };

  /** Forwards the request; with lagBlocks, rewrites what a node that far behind would answer. */
  const forward = async (raw: Buffer, request: ParsedRequest | undefined): Promise<UpstreamReply> => {
    const lag = lagBlocks;
    if (lag === 0 || !request) return post(raw);
    const hasBlockCalls = request.calls.some((call) => BLOCK_METHODS.has(call.method));
    const hasHeadCall = request.calls.some((call) => call.method === 'eth_blockNumber');
    if (!hasBlockCalls && !hasHeadCall) return post(raw);

    let laggedHead: number | undefined;
    let body: Buffer | string = raw;
    if (hasBlockCalls) {
      laggedHead = Math.max(0, (await upstreamHead()) - lag);
      const head = `0x${laggedHead.toString(16)}`;
      let rewritten = false;
      const calls = request.calls.map((call) => {
        const first = call.params[0];
        if (!BLOCK_METHODS.has(call.method) || (first !== 'latest' && first !== 'pending')) return call;
        rewritten = true;
        return { ...call, params: [head, ...call.params.slice(1)] };
      });
      if (rewritten) {
        const envelopes = calls.map((call) => ({ jsonrpc: '2.0', id: call.id, method: call.method, params: call.params }));
        body = JSON.stringify(request.batch ? envelopes : envelopes[0]);
      }
    }
    const reply = await post(body);
    const parsed = parseReply(reply);
    if (!parsed) return reply;
    const callsById = new Map(request.calls.map((call) => [idKey(call.id), call]));
    let changed = false;
    for (const envelope of parsed.envelopes) {
      const call = callsById.get(idKey(envelope.id));
      if (!call || !('result' in envelope)) continue;
      if (call.method === 'eth_blockNumber' && typeof envelope.result === 'string' && QUANTITY_RE.test(envelope.result)) {
        envelope.result = `0x${Math.max(0, Number.parseInt(envelope.result, 16) - lag).toString(16)}`;
        changed = true;
      } else if (laggedHead !== undefined && BLOCK_METHODS.has(call.method) && envelope.result !== null) {
        const number = blockNumberOf(call, envelope.result);
        if (number !== undefined && number > laggedHead) {
          envelope.result = null;
          changed = true;
        }
      }
    }
    return changed ? { ...reply, body: Buffer.from(serializeReply(parsed.batch, parsed.envelopes)) } : reply;
  };

  const applicable = (kind: FaultKind, request: ParsedRequest | undefined): boolean => {
    switch (kind) {
      case 'http500':
      case 'http429':
      case 'reset':
      case 'hang':
      case 'truncated':
      case 'html':
        return true;
      case 'headerNotFound':
        return request !== undefined && request.calls.length > 0;
      case 'reorderedBatch':
      case 'missingId':
        return request !== undefined && request.batch && request.calls.length >= 2;
      case 'nullBlock':
        return request !== undefined && request.calls.some((call) => BLOCK_METHODS.has(call.method));
      case 'fork':
        return request !== undefined && request.calls.some((call) => HASH_BEARING_METHODS.has(call.method));
      case 'stateUnavailable':
        return request !== undefined && request.calls.some((call) => call.method === 'eth_call');
    }
  };

  /** Applies a reply-rewriting fault; undefined when the reply gives it nothing to act on. */
  const rewriteReply = (kind: FaultKind, request: ParsedRequest, reply: UpstreamReply, rng: () => number): string | undefined => {
    const parsed = parseReply(reply);
    if (!parsed) return undefined;
    const { envelopes } = parsed;
    const callsById = new Map(request.calls.map((call) => [idKey(call.id), call]));
    const callOf = (envelope: Envelope): RpcCall | undefined => callsById.get(idKey(envelope.id));
    switch (kind) {
      case 'reorderedBatch': {
        if (!parsed.batch || envelopes.length < 2) return undefined;
        const order = envelopes.map((_, index) => index);
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(rng() * (i + 1));
          [order[i], order[j]] = [order[j] as number, order[i] as number];
        }
        // A shuffle may land on the original order; the fault must be visible, so rotate then.
        if (order.every((value, index) => value === index)) order.push(order.shift() as number);
        return serializeReply(true, order.map((index) => envelopes[index] as Envelope));
      }
      case 'missingId': {
        if (!parsed.batch || envelopes.length < 2) return undefined;
        envelopes.splice(Math.floor(rng() * envelopes.length), 1);
        return serializeReply(true, envelopes);
      }
      case 'nullBlock': {
        let changed = false;
        for (const envelope of envelopes) {
          const call = callOf(envelope);
          if (call && BLOCK_METHODS.has(call.method) && 'result' in envelope) {
            envelope.result = null;
            changed = true;
          }
        }
        return changed ? serializeReply(parsed.batch, envelopes) : undefined;
      }
      case 'fork': {
        let changed = false;
        for (const envelope of envelopes) changed = forkInPlace(envelope.result) || changed;
        return changed ? serializeReply(parsed.batch, envelopes) : undefined;
      }
      case 'stateUnavailable': {
        let changed = false;
        const rewritten = envelopes.map((envelope): Envelope => {
          if (callOf(envelope)?.method !== 'eth_call') return envelope;
          changed = true;
          // geth's wording for state a pruned node no longer holds.
          const message = `missing trie node ${randomHex(rng, 64)} (path ) state 0x${randomHex(rng, 64)} is not available`;
          return { jsonrpc: '2.0', id: envelope.id ?? null, error: { code: -32000, message } };
        });
        return changed ? serializeReply(parsed.batch, rewritten) : undefined;
      }
      default:
        return undefined;
    }
  };

  const handle = async (requestNumber: number, req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> => {
    const request = parseRequest(raw);
    const rng = requestRng(seed, requestNumber);
    // Both numbers are drawn for every request so later draws (shuffles, fake hashes) sit at the
    // same place in the stream whatever the rate.
    const roll = rng();
    const pick = rng();
    let kind: FaultKind | undefined;
    if (enabled && roll < rate) {
      const candidates = kinds.filter((candidate) => applicable(candidate, request));
      // Kinds only a few requests can take (stateUnavailable needs an eth_call, of which a run
      // has a handful) could go a whole run uninjected: a kind not injected yet goes first.
      const unseen = candidates.filter((candidate) => faults[candidate] === 0);
      const pool = unseen.length > 0 ? unseen : candidates;
      kind = pool[Math.floor(pick * pool.length)];
    }

    switch (kind) {
      case 'reset':
        countFault(kind, requestNumber);
        req.socket.destroy();
        return;
      case 'hang': {
        countFault(kind, requestNumber);
        const timer = setTimeout(() => {
          timers.delete(timer);
          req.socket.destroy();
        }, hangMs);
        timers.add(timer);
        return;
      }
      case 'http500':
        countFault(kind, requestNumber);
        send(res, 500, 'text/plain', 'Internal Server Error\n');
        return;
      case 'http429':
        countFault(kind, requestNumber);
        send(res, 429, 'application/json', '{"error":"Too Many Requests"}', { 'retry-after': String(retryAfterSeconds) });
        return;
      case 'html':
        countFault(kind, requestNumber);
        send(res, 200, 'text/html', HTML_PAGE);
        return;
      default:
        break;
    }
    if (kind === 'headerNotFound' && request) {
      countFault(kind, requestNumber);
      const envelopes = request.calls.map((call) => ({ jsonrpc: '2.0', id: call.id, error: { code: -32000, message: 'header not found' } }));
      send(res, 200, 'application/json', JSON.stringify(request.batch ? envelopes : envelopes[0]));
      return;
    }

    let reply: UpstreamReply;
    try {
      reply = await forward(raw, request);
    } catch (error) {
      // What a gateway answers when its backend is unreachable; not counted as a fault.
      send(res, 502, 'text/plain', `fault proxy: upstream ${upstream.origin} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      return;
    }
    if (kind === 'truncated') {
      countFault(kind, requestNumber);
      send(res, 200, reply.contentType, reply.body.subarray(0, Math.floor(reply.body.length / 2)));
      return;
    }
    const rewritten = kind && request ? rewriteReply(kind, request, reply, rng) : undefined;
    if (kind && rewritten !== undefined) {
      countFault(kind, requestNumber);
      send(res, 200, 'application/json', rewritten);
      return;
    }
    forwarded++;
    send(res, reply.status, reply.contentType, reply.body, reply.retryAfter === undefined ? {} : { 'retry-after': reply.retryAfter });
  };

  const server = createServer((req, res) => {
    const requestNumber = ++requestCount;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (closed) {
        req.socket.destroy();
        return;
      }
      if (req.method !== 'POST') {
        send(res, 405, 'text/plain', 'fault proxy: POST JSON-RPC only\n', { allow: 'POST' });
        return;
      }
      handle(requestNumber, req, res, Buffer.concat(chunks)).catch((error: unknown) => {
        send(res, 500, 'text/plain', `fault proxy bug: ${error instanceof Error ? error.message : String(error)}\n`);
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    stats: () => ({ requests: requestCount, forwarded, faults: { ...faults } }),
    setRate: (value) => {
      rate = checkRate(value);
    },
    setEnabled: (on) => {
      enabled = on;
    },
    setLagBlocks: (blocks) => {
      lagBlocks = checkLag(blocks);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      await pool.destroy();
    },
  };
}
