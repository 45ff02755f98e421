import { performance } from 'node:perf_hooks';
import { toQuantity } from '../decode/hexToInt.js';
import { createRpcPool } from './createRpcPool.js';

/** The calls an export makes most, timed one by one on each endpoint. */
export const PROBED_METHODS = ['eth_blockNumber', 'eth_getBlockByNumber', 'eth_getBlockReceipts', 'eth_call'] as const;
export type ProbedMethod = (typeof PROBED_METHODS)[number];

export interface MethodLatency {
  method: ProbedMethod;
  samples: number;
  errors: number;
  /** Milliseconds over the calls that answered; absent when none did. */
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** The first error's message, masked like every pool error. */
  firstError?: string;
}

export type EndpointVerdict = 'healthy' | 'lagging' | 'failing';

export interface EndpointProbe {
  /** Masked: safe to print, log or put in a report. */
  endpoint: string;
  head: number | undefined;
  /** Blocks behind the best head among the endpoints. */
  lag: number | undefined;
  methods: MethodLatency[];
  verdict: EndpointVerdict;
}

export interface ProbeOptions {
  /** Calls per method per endpoint. */
  samples: number;
  /** Blocks behind the best head past which the pool avoids an endpoint (its own default when absent). */
  maxHeadLag?: number;
  timeoutMs?: number;
}

// A call every node answers without state: no code at the zero address, so the result is "0x".
const EMPTY_CALL = { to: '0x0000000000000000000000000000000000000000', data: '0x' };

/**
 * Probes every endpoint of a pool: its head and lag as the pool's health check reads them, then
 * `samples` timed calls of each method the exporter relies on, pinned to that endpoint with no
 * retry, at a block it has. The verdict is the pool's: lagging when it would avoid the endpoint,
 * failing when the endpoint does not tell its head or most calls fail.
 */
export async function probeEndpoints(urls: readonly string[], options: ProbeOptions): Promise<EndpointProbe[]> {
  const pool = createRpcPool({
    urls: [...urls],
    maxRetries: 0,
    ...(options.maxHeadLag !== undefined ? { maxHeadLag: options.maxHeadLag } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  try {
    await pool.checkHealth();
    const statuses = pool.endpoints();
    const heads = statuses.map((s) => s.head).filter((h): h is number => h !== undefined);
    const best = heads.length > 0 ? Math.max(...heads) : undefined;
    const probes: EndpointProbe[] = [];
    for (const [index, status] of statuses.entries()) {
      const block = toQuantity(status.head ?? best ?? 0);
      const params: Record<ProbedMethod, unknown[]> = {
        eth_blockNumber: [],
        eth_getBlockByNumber: [block, false],
        eth_getBlockReceipts: [block],
        eth_call: [EMPTY_CALL, block],
      };
      const methods: MethodLatency[] = [];
      for (const method of PROBED_METHODS) {
        const times: number[] = [];
        let firstError: string | undefined;
        for (let i = 0; i < options.samples; i++) {
          const started = performance.now();
          try {
            await pool.request(method, params[method], { endpoint: index, maxRetries: 0 });
            times.push(performance.now() - started);
          } catch (error) {
            firstError ??= error instanceof Error ? error.message : String(error);
          }
        }
        methods.push({ method, samples: options.samples, errors: options.samples - times.length, ...percentiles(times), ...(firstError ? { firstError } : {}) });
      }
      const calls = methods.reduce((n, m) => n + m.samples, 0);
      const errors = methods.reduce((n, m) => n + m.errors, 0);
      const verdict: EndpointVerdict = status.head === undefined || errors * 2 > calls ? 'failing' : status.lagging ? 'lagging' : 'healthy';
      probes.push({ endpoint: status.endpoint, head: status.head, lag: status.head !== undefined && best !== undefined ? best - status.head : undefined, methods, verdict });
    }
    return probes;
  } finally {
    await pool.close();
  }
}

function percentiles(times: number[]): Pick<MethodLatency, 'p50Ms' | 'p95Ms' | 'p99Ms'> {
  if (times.length === 0) return {};
  const sorted = [...times].sort((a, b) => a - b);
  // Nearest rank: with few samples the high percentiles are the slowest call, as they should be.
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
  return { p50Ms: at(50), p95Ms: at(95), p99Ms: at(99) };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
