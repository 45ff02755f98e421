import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { createRpcPool } from '../../../src/chain/rpc/createRpcPool.js';
import type { BlockRange } from '../../../src/chain/types.js';
import { connectClient } from '../../../src/cli/temporal/connectClient.js';
import { startDay } from '../../../src/cli/temporal/startDay.js';
import { codecConverterFromEnv } from '../../../src/codec/dataConverter.js';
import { configFromEnv, type Config } from '../../../src/config.js';
import { createLogger } from '../../../src/log.js';
import { createMetricsRegistry } from '../../../src/metrics/createMetricsRegistry.js';
import type { StackEnv } from '../../../src/stack/index.js';
import { migrate } from '../../../src/warehouse/migrate.js';
import { warehouseFromConfig } from '../../../src/warehouse/warehouseFromConfig.js';
import { startWorkers, type RunningWorkers } from '../../../src/workers/main.js';
import { workerSettingsFromEnv } from '../../../src/workers/workerSettings.js';

/**
 * One test file's view of the shared local stack: its own lake prefix and warehouse schema (other
 * files share the bucket and database), a migrated warehouse and a Temporal client.
 */
export interface TemporalTestStack {
  env: Record<string, string>;
  config: Config;
  client: Client;
  days: string[];
  chainId: number;
  close(): Promise<void>;
}

export async function openTemporalTestStack(stack: StackEnv, name: string, extra: Record<string, string> = {}): Promise<TemporalTestStack> {
  const suffix = randomBytes(3).toString('hex');
  const env: Record<string, string> = {
    ...(stack as unknown as Record<string, string>),
    S3_PREFIX: `it-${name}-${suffix}`,
    WAREHOUSE_SCHEMA: `it_${name}_${suffix}`,
    CHUNK_SIZE: '50',
    METRICS_PORT: '0',
    LEDGERFLOW_SHUTDOWN_GRACE: '2s',
    LEDGERFLOW_SHUTDOWN_FORCE: '5s',
    LOG_LEVEL: 'warn',
    ...extra,
  };
  const config = configFromEnv(env);
  // The S3 client reads credentials from the process environment (the default AWS chain), like a worker pod.
  process.env.AWS_ACCESS_KEY_ID = stack.AWS_ACCESS_KEY_ID;
  process.env.AWS_SECRET_ACCESS_KEY = stack.AWS_SECRET_ACCESS_KEY;
  process.env.AWS_REGION ??= stack.S3_REGION;
  const warehouse = warehouseFromConfig(config, createLogger('warn'));
  try {
    await migrate(warehouse);
  } finally {
    await warehouse.close();
  }
  // The stack's codec key (LEDGERFLOW_CODEC_KEYS) reaches clients and workers from this env, as from `stack env`.
  const { client, close } = await connectClient(config, env);
  return { env, config, client, days: stack.LEDGERFLOW_DAYS.split(',').filter(Boolean), chainId: Number(stack.CHAIN_ID), close };
}

export async function startInProcessWorkers(t: TemporalTestStack, registry = createMetricsRegistry()): Promise<RunningWorkers> {
  return startWorkers({
    config: t.config,
    settings: workerSettingsFromEnv(t.env),
    logger: createLogger('warn', { component: 'test-worker' }),
    registry,
    serveMetrics: false,
    codec: codecConverterFromEnv(t.env),
  });
}

/** What the node says about a block range: the counts the warehouse must reproduce. */
export async function nodeCounts(rpcUrl: string, range: BlockRange): Promise<{ blocks: number; transactions: number; logs: number }> {
  const rpc = createRpcPool({ urls: [rpcUrl] });
  try {
    const numbers = Array.from({ length: range.end - range.start + 1 }, (_, i) => range.start + i);
    const blocks = await rpc.batch<{ transactions: unknown[] }>(numbers.map((n) => ({ method: 'eth_getBlockByNumber', params: [`0x${n.toString(16)}`, false] })));
    const logs = await rpc.request<unknown[]>('eth_getLogs', [{ fromBlock: `0x${range.start.toString(16)}`, toBlock: `0x${range.end.toString(16)}` }]);
    return { blocks: blocks.length, transactions: blocks.reduce((sum, b) => sum + b.transactions.length, 0), logs: logs.length };
  } finally {
    await rpc.close();
  }
}

/** Row counts in the warehouse for the range, plus distinct keys, so a duplicate shows up as a difference. */
export async function warehouseCounts(t: TemporalTestStack, range: BlockRange) {
  const warehouse = warehouseFromConfig(t.config, createLogger('warn'));
  const schema = t.config.warehouseSchema;
  try {
    const { rows } = await warehouse.pool.query<Record<string, number>>(
      `SELECT
         (SELECT COUNT(*)::int FROM ${schema}.blocks WHERE number BETWEEN $1 AND $2) AS blocks,
         (SELECT COUNT(DISTINCT hash)::int FROM ${schema}.blocks WHERE number BETWEEN $1 AND $2) AS distinct_blocks,
         (SELECT COUNT(*)::int FROM ${schema}.transactions WHERE block_number BETWEEN $1 AND $2) AS transactions,
         (SELECT COUNT(DISTINCT hash)::int FROM ${schema}.transactions WHERE block_number BETWEEN $1 AND $2) AS distinct_transactions,
         (SELECT COUNT(*)::int FROM ${schema}.logs WHERE block_number BETWEEN $1 AND $2) AS logs`,
      [range.start, range.end],
    );
    return rows[0] ?? {};
  } finally {
    await warehouse.close();
  }
}

/**
 * A test stack whose warehouse holds every seeded day, run through dailyEtl by in-process workers
 * (export, seal, load, models and metrics), for tests that read what analysts read.
 */
export async function openSeededWarehouse(stack: StackEnv, name: string): Promise<TemporalTestStack> {
  const t = await openTemporalTestStack(stack, name);
  try {
    const workers = await startInProcessWorkers(t);
    try {
      for (const date of t.days) await (await startDay(t.client, { date, chainId: t.chainId })).result();
    } finally {
      await workers.shutdown();
    }
  } catch (error) {
    await t.close();
    throw error;
  }
  return t;
}
