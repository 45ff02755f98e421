import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { RpcPoolOptions } from './createRpcPool.js';

/** Pool options from the process configuration (RPC_URL, RPC_BATCH_SIZE, RPC_MAX_RPS, RPC_TIMEOUT_MS, RPC_MAX_RETRIES, RPC_RETRY_BUDGET_MS). */
export function rpcPoolOptionsFromConfig(
  config: Pick<Config, 'rpcUrls' | 'rpcBatchSize' | 'rpcMaxRps' | 'rpcTimeoutMs' | 'rpcMaxRetries' | 'rpcRetryBudgetMs'>,
  extras: { registry?: Registry; logger?: Logger } = {},
): RpcPoolOptions {
  return {
    urls: config.rpcUrls,
    batchSize: config.rpcBatchSize,
    maxRps: config.rpcMaxRps,
    timeoutMs: config.rpcTimeoutMs,
    maxRetries: config.rpcMaxRetries,
    retryBudgetMs: config.rpcRetryBudgetMs,
    ...extras,
  };
}
