import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { ConfigurationError, LedgerflowError } from '../../errors/LedgerflowError.js';
import { rpcMetrics, createMethodLabeler, type RpcMetrics } from '../../metrics/rpcMetrics.js';
import type { RpcCallOptions, RpcClient, RpcEndpointStatus, RpcRequest } from './types.js';
import { RpcAttemptFailure, RpcEndpoint } from './rpcEndpoint.js';
import { decodeBatch, decodeSingle } from './decodeRpcResponse.js';
import { classifyRpcFailure, shouldRetry } from './classifyRpcFailure.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoffDelay.js';
import { RateLimiter, realClock, type Clock } from './rateLimiter.js';
import { blockOfCall, fromQuantity, isBlockMethod } from './quantity.js';
import { permanentRpcError } from './permanentRpcError.js';
import { RpcBlockNotFoundError, RpcUnavailableError, type RpcAttemptRecord } from './errors.js';

export interface RpcPoolOptions {
  /** One or more endpoints; secrets in them never leave this module unmasked. */
  urls: readonly string[];
  /** Calls per JSON-RPC batch (default 100). */
  batchSize?: number;
  /** Cap on JSON-RPC calls per second across all endpoints (a batch of 100 counts 100); default none. */
  maxRps?: number;
  /** Per HTTP request: time to response headers, and between body chunks (default 30 s). */
  timeoutMs?: number;
  /** Retries after the first attempt for transient faults (default 5). */
  maxRetries?: number;
  /** No retry starts once this much time has passed since the first attempt (default 60 s). */
  retryBudgetMs?: number;
  /** Batches in flight at once for one batch() call (default 8). */
  maxConcurrency?: number;
  /** Keep-alive connections per endpoint (default 16). */
  connectionsPerEndpoint?: number;
  /** An endpoint more than this many blocks behind the best head is avoided (default 16). */
  maxHeadLag?: number;
  /** How often heads are compared, with two or more endpoints (default 30 s). */
  healthCheckIntervalMs?: number;
  backoff?: BackoffOptions;
  registry?: Registry;
  logger?: Logger;
  /** Tests inject a clock to check the rate cap by counts rather than wall time. */
  clock?: Clock;
  random?: () => number;
}

export type { RpcEndpointStatus } from './types.js';

export interface RpcPoolStats {
  httpRequests: number;
  retries: number;
  throttled: number;
}

export interface RpcPool extends RpcClient {
  endpoints(): RpcEndpointStatus[];
  /** Reads every endpoint's head (eth_blockNumber) and marks laggards; runs on its own every interval. */
  checkHealth(): Promise<void>;
  stats(): RpcPoolStats;
  noteHeight(height: number): void;
  pinned(index: number): RpcClient;
}

interface CallDescription {
  methods: readonly string[] | string;
  requests?: readonly RpcRequest[] | undefined;
  params?: readonly unknown[] | undefined;
  block?: number | bigint | undefined;
}

/** Builds the JSON-RPC client every Ledgerflow part uses. See docs/rpc.md for the policy. */
export function createRpcPool(options: RpcPoolOptions): RpcPool {
  return new Pool(options);
}

class Pool implements RpcPool {
  private readonly eps: RpcEndpoint[];
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly retryBudgetMs: number;
  /** Highest block known to exist: the best head read so far, or a height a caller vouched for. */
  private knownHeight = -1;
  private headRefresh: Promise<void> | undefined;
  private headRefreshedAt = Number.NEGATIVE_INFINITY;
  /** When some endpoint last told us its head; only a reading this fresh can prove a block absent. */
  private headReadAt = Number.NEGATIVE_INFINITY;
  private readonly maxConcurrency: number;
  private readonly maxHeadLag: number;
  private readonly healthIntervalMs: number;
  private readonly backoff: BackoffOptions;
  private readonly limiter: RateLimiter;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly metrics: RpcMetrics | undefined;
  private readonly methodLabel = createMethodLabeler();
  private readonly logger: Logger | undefined;
  private nextHealthCheck = 0;
  private firstHealthCheck: Promise<void> | undefined;
  private rotation = 0;
  private nextSingleId = 1;
  private closed = false;
  private readonly counters: RpcPoolStats = { httpRequests: 0, retries: 0, throttled: 0 };

  constructor(options: RpcPoolOptions) {
    if (options.urls.length === 0) throw new ConfigurationError('no RPC endpoint configured', { fix: 'set RPC_URL (comma-separated for several endpoints) or pass --rpc' });
    const positive = (name: string, value: number | undefined, fallback: number, min = 1) => {
      const v = value ?? fallback;
      if (!(v >= min) || Number.isNaN(v)) throw new ConfigurationError(`RPC pool option ${name} must be >= ${min}, got ${v}`, { fix: `pass a ${name} of at least ${min}` });
      return v;
    };
    this.batchSize = positive('batchSize', options.batchSize, 100);
    this.timeoutMs = positive('timeoutMs', options.timeoutMs, 30_000);
    this.maxRetries = positive('maxRetries', options.maxRetries, 5, 0);
    this.retryBudgetMs = positive('retryBudgetMs', options.retryBudgetMs, 60_000, 0);
    this.maxConcurrency = positive('maxConcurrency', options.maxConcurrency, 8);
    this.maxHeadLag = positive('maxHeadLag', options.maxHeadLag, 16, 0);
    this.healthIntervalMs = positive('healthCheckIntervalMs', options.healthCheckIntervalMs, 30_000);
    const connections = positive('connectionsPerEndpoint', options.connectionsPerEndpoint, 16);
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.limiter = new RateLimiter(options.maxRps ?? Number.POSITIVE_INFINITY, this.clock);
    this.metrics = options.registry ? rpcMetrics(options.registry) : undefined;
    this.logger = options.logger;
    this.eps = options.urls.map((url) => new RpcEndpoint(url, { connections }));
  }

  describe(): string {
    return this.eps.map((ep) => ep.masked).join(', ');
  }

  endpoints(): RpcEndpointStatus[] {
    return this.eps.map((ep) => ({ endpoint: ep.masked, inFlight: ep.inFlight, head: ep.head, lagging: ep.lagging, consecutiveFailures: ep.consecutiveFailures }));
  }

  stats(): RpcPoolStats {
    return { ...this.counters, throttled: this.limiter.throttled };
  }

  pinned(index: number): RpcClient {
    const ep = this.endpointAt(index);
    const pin = (options: RpcCallOptions | undefined): RpcCallOptions => ({ ...options, endpoint: index });
    return {
      request: (method, params, options) => this.request(method, params, pin(options)),
      batch: (requests, options) => this.batch(requests, pin(options)),
      describe: () => ep.masked,
      noteHeight: (height) => this.noteHeight(height),
      // The view borrows the pool's connections; the pool's owner closes them.
      close: async () => undefined,
    };
  }

  private endpointAt(index: number): RpcEndpoint {
    const ep = Number.isInteger(index) ? this.eps[index] : undefined;
    if (!ep) throw new ConfigurationError(`no RPC endpoint #${index}: the pool has ${this.eps.length}`, { fix: 'pin calls to an index of endpoints()' });
    return ep;
  }

  noteHeight(height: number): void {
    if (height > this.knownHeight) this.knownHeight = height;
  }

  async request<T>(method: string, params: readonly unknown[], options?: RpcCallOptions): Promise<T> {
    const id = this.nextSingleId++;
    const body = JSON.stringify({ jsonrpc: '2.0', id, method, params });
    const description: CallDescription = { methods: method, params, block: options?.block };
    const nullIsMissing = options?.requireResults ?? isBlockMethod(method);
    return this.send(body, 1, method, description, options, (json) => {
      const result = decodeSingle(json);
      if (result === null && nullIsMissing) throw missingResult(undefined);
      return result as T;
    });
  }

  async batch<T>(requests: readonly RpcRequest[], options?: RpcCallOptions): Promise<T[]> {
    const total = requests.length;
    if (total === 0) return [];
    const results = new Array<T>(total);
    const chunks = Math.ceil(total / this.batchSize);
    const sendChunk = async (chunk: number) => {
      const start = chunk * this.batchSize;
      const slice = requests.slice(start, Math.min(total, start + this.batchSize));
      const body = JSON.stringify(slice.map((r, i) => ({ jsonrpc: '2.0', id: i, method: r.method, params: r.params })));
      const label = homogeneousMethod(slice);
      const values = await this.send(body, slice.length, label, { methods: label, requests: slice, block: options?.block }, options, (json, ep) => {
        const decoded = decodeBatch(json, slice.length);
        if (options?.requireResults) {
          const empty = decoded.indexOf(null);
          if (empty >= 0) throw missingResult(empty);
        }
        options?.onServed?.(ep.masked, start, slice.length);
        return decoded;
      });
      for (let i = 0; i < values.length; i++) results[start + i] = values[i] as T;
    };
    if (chunks === 1) {
      await sendChunk(0);
      return results;
    }
    let next = 0;
    let failed = false;
    const worker = async () => {
      while (!failed && next < chunks) {
        const chunk = next++;
        try {
          await sendChunk(chunk);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxConcurrency, chunks) }, worker));
    return results;
  }

  async checkHealth(): Promise<void> {
    this.nextHealthCheck = this.clock.now() + this.healthIntervalMs;
    const run = this.readHeads();
    this.firstHealthCheck ??= run.catch(() => undefined);
    await run;
  }

  private async readHeads(): Promise<void> {
    const heads = await Promise.all(
      this.eps.map(async (ep) => {
        try {
          const json = await ep.post('{"jsonrpc":"2.0","id":0,"method":"eth_blockNumber","params":[]}', Math.min(this.timeoutMs, 5_000), undefined);
          return fromQuantity(decodeSingle(json), 'block number', 'eth_blockNumber');
        } catch (error) {
          // A node without eth_blockNumber is odd but not lagging; an unreachable one cools down.
          if (error instanceof RpcAttemptFailure && shouldRetry(error.kind)) this.penalize(ep);
          return undefined;
        }
      }),
    );
    const best = Math.max(...heads.map((h) => h ?? Number.NEGATIVE_INFINITY));
    if (best > this.knownHeight) this.knownHeight = best;
    if (Number.isFinite(best)) this.headReadAt = this.clock.now();
    this.eps.forEach((ep, i) => {
      const head = heads[i];
      ep.head = head ?? ep.head;
      ep.lagging = head !== undefined && best - head > this.maxHeadLag;
      if (ep.lagging) this.logger?.warn({ endpoint: ep.masked, head, best }, 'RPC endpoint lags behind the best head; avoiding it');
      if (head !== undefined) this.metrics?.head.set({ endpoint: ep.label }, head);
      this.metrics?.healthy.set({ endpoint: ep.label }, ep.lagging ? 0 : 1);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.eps.map((ep) => ep.close()));
  }

  private async send<R>(
    body: string,
    count: number,
    method: string,
    description: CallDescription,
    options: RpcCallOptions | undefined,
    decode: (json: unknown, ep: RpcEndpoint) => R,
  ): Promise<R> {
    if (this.closed) throw new ConfigurationError('RPC pool used after close()', { fix: 'create a new pool per worker and close it on shutdown' });
    const signal = options?.signal;
    const pinned = options?.endpoint === undefined ? undefined : this.endpointAt(options.endpoint);
    const maxRetries = Math.min(this.maxRetries, options?.maxRetries ?? this.maxRetries);
    if (this.eps.length > 1) await this.maybeCheckHealth();
    const tried = this.eps.length > 1 ? new Set<RpcEndpoint>() : undefined;
    const target = this.eps.length > 1 ? highestBlock(description) : undefined;
    const answers: RpcAttemptRecord[] = [];
    const firstAttemptAt = this.clock.now();
    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire(count, signal);
      const ep = pinned ?? this.pick(tried, target);
      tried?.add(ep);
      const started = this.metrics ? performance.now() : 0;
      ep.inFlight++;
      this.counters.httpRequests++;
      try {
        const value = decode(await ep.post(body, this.timeoutMs, signal, options?.onResponseChars), ep);
        ep.consecutiveFailures = 0;
        if (this.metrics) this.observe(method, ep, started, count, 'ok');
        if (typeof description.methods === 'string' && description.requests === undefined) options?.onServed?.(ep.masked, 0, 1);
        return value;
      } catch (thrown) {
        if (!(thrown instanceof RpcAttemptFailure)) throw thrown;
        const error = ep.redact(thrown);
        const failed = describeFailed(description, error.index);
        // Only the failed call's method can tell a refused log range from a rate limit.
        const kind = failed.method === 'eth_getLogs' ? classifyRpcFailure(error.failure, failed.method) : error.kind;
        if (kind === 'missing_block') {
          const block = failed.block === undefined ? undefined : Number(failed.block);
          if (block !== undefined && !(await this.mayExist(block))) {
            if (this.metrics) this.observe(method, ep, started, count, 'block_not_found');
            throw new RpcBlockNotFoundError({ method: failed.method, endpoint: ep.masked, block, knownHeight: this.knownHeight >= 0 ? this.knownHeight : undefined });
          }
          // This endpoint is behind for that block, whatever its eth_blockNumber said.
          if (block !== undefined && (ep.head === undefined || ep.head >= block)) ep.head = block - 1;
        }
        if (this.metrics) this.observe(method, ep, started, count, kind);
        if (!shouldRetry(kind)) throw permanentRpcError(error, { ...failed, endpoint: ep.masked }, kind);
        const detail = error.detail;
        answers.push({ endpoint: ep.masked, kind, detail });
        this.penalize(ep);
        const delay = backoffDelay(attempt + 1, this.backoff, this.random, error.retryAfterMs);
        const elapsed = this.clock.now() - firstAttemptAt;
        if (attempt >= maxRetries || elapsed + delay > this.retryBudgetMs) {
          throw new RpcUnavailableError({
            ...failed,
            endpoint: [...new Set(answers.map((a) => a.endpoint))].join(', '),
            attempts: attempt + 1,
            kind,
            detail,
            elapsedMs: elapsed,
            answers,
            cause: error,
          });
        }
        this.counters.retries++;
        this.metrics?.retries.inc({ endpoint: ep.label, kind });
        this.logger?.warn({ endpoint: ep.masked, method: failed.method, block: failed.block, attempt: attempt + 1, kind, delay_ms: delay }, 'RPC attempt failed; retrying');
        await this.clock.sleep(delay, signal);
      } finally {
        ep.inFlight--;
      }
    }
  }

  /**
   * Whether a block that came back null may still exist: at or below the highest head seen (read
   * afresh, at most once a second), a block already served, or a height a caller vouched for.
   * Above all of them, per a head reading just taken, it is "no such block", and asking again
   * cannot help.
   */
  private async mayExist(block: number): Promise<boolean> {
    if (block <= this.knownHeight) return true;
    if (this.clock.now() - this.headRefreshedAt >= HEAD_READING_FRESH_MS) {
      this.headRefresh ??= this.readHeads()
        .catch(() => undefined)
        .finally(() => {
          this.headRefreshedAt = this.clock.now();
          this.headRefresh = undefined;
        });
    }
    if (this.headRefresh) await this.headRefresh;
    // Without a fresh head reading (eth_blockNumber failed too, or only a height a caller vouched
    // for is known) nothing proves the block absent: the retry budget decides.
    if (this.clock.now() - this.headReadAt > 2 * HEAD_READING_FRESH_MS) return true;
    return block <= this.knownHeight;
  }

  private observe(method: string, ep: RpcEndpoint, started: number, count: number, outcome: string): void {
    const metrics = this.metrics as RpcMetrics;
    const label = this.methodLabel(method);
    metrics.duration.observe({ method: label, endpoint: ep.label }, (performance.now() - started) / 1000);
    metrics.calls.inc({ method: label, endpoint: ep.label, outcome }, count);
  }

  private penalize(ep: RpcEndpoint): void {
    ep.consecutiveFailures++;
    ep.coolUntil = this.clock.now() + backoffDelay(ep.consecutiveFailures, this.backoff, this.random);
  }

  /**
   * Least-loaded routing among the best-ranked endpoints. Rank, worst first: already tried for
   * this call, lagging or with a head below the call's block (it would answer null), cooling down
   * after a failure.
   * Ties on in-flight count rotate so idle endpoints share the load.
   */
  private pick(tried: Set<RpcEndpoint> | undefined, block: number | undefined): RpcEndpoint {
    const eps = this.eps;
    if (eps.length === 1) return eps[0] as RpcEndpoint;
    const now = this.clock.now();
    const start = this.rotation++ % eps.length;
    let best = eps[start] as RpcEndpoint;
    let bestScore = Number.POSITIVE_INFINITY;
    for (let k = 0; k < eps.length; k++) {
      const ep = eps[(start + k) % eps.length] as RpcEndpoint;
      const behind = ep.lagging || (block !== undefined && ep.head !== undefined && ep.head < block);
      const rank = (tried?.has(ep) ? 4 : 0) + (behind ? 2 : 0) + (ep.coolUntil > now ? 1 : 0);
      const score = rank * 1e9 + ep.inFlight;
      if (score < bestScore) {
        best = ep;
        bestScore = score;
      }
    }
    // Every endpoint tried: start over rather than give up, the retry budget bounds the loop.
    if (tried && tried.size >= eps.length && tried.has(best)) tried.clear();
    return best;
  }

  private async maybeCheckHealth(): Promise<void> {
    if (this.clock.now() >= this.nextHealthCheck) {
      void this.checkHealth().catch((error: unknown) => {
        this.logger?.warn({ err: error instanceof LedgerflowError ? error.message : String(error) }, 'RPC health check failed');
      });
    }
    // Only the first check is awaited, so no call goes to a laggard before heads are known;
    // later checks refresh in the background.
    await this.firstHealthCheck;
  }
}

/** How often a null answer may trigger a head reading, and how old a reading may be to prove absence. */
const HEAD_READING_FRESH_MS = 1_000;

function missingResult(index: number | undefined): RpcAttemptFailure {
  return new RpcAttemptFailure({ type: 'missing' }, 'null', { index });
}

/** The highest block number a call names, for routing around endpoints whose head is below it. */
function highestBlock(description: CallDescription): number | undefined {
  let highest: number | undefined;
  const consider = (block: number | undefined) => {
    if (block !== undefined && (highest === undefined || block > highest)) highest = block;
  };
  if (description.requests) for (const r of description.requests) consider(r.block ?? blockOfCall(r.method, r.params));
  else if (typeof description.methods === 'string' && description.params) consider(blockOfCall(description.methods, description.params));
  return highest;
}

function homogeneousMethod(requests: readonly RpcRequest[]): string {
  const first = requests[0]?.method ?? 'none';
  for (let i = 1; i < requests.length; i++) if (requests[i]?.method !== first) return 'mixed';
  return first;
}

function describeFailed(description: CallDescription, index: number | undefined): { method: string; block: number | bigint | undefined } {
  const request = index !== undefined ? description.requests?.[index] : undefined;
  if (request) return { method: request.method, block: description.block ?? request.block ?? blockOfCall(request.method, request.params) };
  const method = typeof description.methods === 'string' ? description.methods : 'batch';
  const single = description.params ? blockOfCall(method, description.params) : undefined;
  return { method, block: description.block ?? single };
}
