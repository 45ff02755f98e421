import type { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram } from './createMetricsRegistry.js';

/**
 * `endpoint` is endpointLabel(): the URL's #alias or its host with key-like labels masked, never a
 * path or query, where providers put keys.
 */
export interface RpcMetrics {
  /** One observation per HTTP request (a whole batch); method is the batch's method or "mixed". */
  duration: Histogram<'method' | 'endpoint'>;
  /** One count per JSON-RPC call; outcome is "ok" or a failure kind from classifyRpcFailure. */
  calls: Counter<'method' | 'endpoint' | 'outcome'>;
  retries: Counter<'endpoint' | 'kind'>;
  head: Gauge<'endpoint'>;
  healthy: Gauge<'endpoint'>;
  throttleSeconds: Counter;
}

export function rpcMetrics(registry: Registry): RpcMetrics {
  return {
    duration: getOrCreateHistogram(registry, {
      name: 'ledgerflow_rpc_request_duration_seconds',
      help: 'Latency of JSON-RPC HTTP requests (a batch counts once), by method and endpoint host',
      labelNames: ['method', 'endpoint'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    calls: getOrCreateCounter(registry, {
      name: 'ledgerflow_rpc_calls_total',
      help: 'JSON-RPC calls (batch elements) by method, endpoint host and outcome',
      labelNames: ['method', 'endpoint', 'outcome'],
    }),
    retries: getOrCreateCounter(registry, {
      name: 'ledgerflow_rpc_retries_total',
      help: 'Retried HTTP requests by endpoint host and failure kind',
      labelNames: ['endpoint', 'kind'],
    }),
    head: getOrCreateGauge(registry, {
      name: 'ledgerflow_rpc_endpoint_head_block',
      help: 'Head block reported by each endpoint at the last health check',
      labelNames: ['endpoint'],
    }),
    healthy: getOrCreateGauge(registry, {
      name: 'ledgerflow_rpc_endpoint_healthy',
      help: '1 when the endpoint is used for routing, 0 when it lags or fails',
      labelNames: ['endpoint'],
    }),
    throttleSeconds: getOrCreateCounter(registry, {
      name: 'ledgerflow_rpc_throttle_wait_seconds_total',
      help: 'Time spent waiting for the requests-per-second cap',
    }),
  };
}

const MAX_METHOD_LABELS = 64;

/**
 * Keeps the method label bounded: Ledgerflow calls a handful of methods, but the names come from
 * callers, so anything odd or beyond the first 64 distinct names is reported as "other".
 */
export function createMethodLabeler(): (method: string) => string {
  const seen = new Set<string>();
  return (method) => {
    if (seen.has(method)) return method;
    if (seen.size >= MAX_METHOD_LABELS || !/^[A-Za-z0-9_]{1,64}$/.test(method)) return 'other';
    seen.add(method);
    return method;
  };
}
