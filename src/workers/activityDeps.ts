import type { Registry } from 'prom-client';
import type { ActivityDeps } from '../activities/index.js';
import { blockRangeForDate } from '../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../chain/rpc/createRpcPool.js';
import { rpcPoolOptionsFromConfig } from '../chain/rpc/rpcPoolOptionsFromConfig.js';
import { rpcChainId } from '../chain/rpc/rpcChainId.js';
import { rpcClientVersion } from '../chain/rpc/rpcClientVersion.js';
import type { Config, RoleConfig } from '../config.js';
import { ConfigurationError } from '../errors/LedgerflowError.js';
import type { RpcClient } from '../chain/rpc/types.js';
import type { LakeStoreDeps } from '../lake/lakeDeps.js';
import type { SqlWarehouseConfig, WarehouseConfig } from '../warehouse/warehouseFromConfig.js';
import { exportChunkToLake } from '../lake/exportChunkToLake.js';
import { exporterVersion } from '../lake/exporterVersion.js';
import { lakeFromConfig } from '../lake/lakeFromConfig.js';
import { planChunks } from '../lake/planChunks.js';
import { checkLakeObjects } from '../lake/checkLakeObjects.js';
import { loadManifestSigner, loadTrustedKeys, verifyManifestSignature } from '../lake/manifestSignature.js';
import { findDayManifest } from '../lake/readDayManifest.js';
import { readManifestAt } from '../lake/readManifestAt.js';
import { sealDay } from '../lake/sealDay.js';
import { verifyDay } from '../lake/verifyDay.js';
import type { Logger } from '../log.js';
import { loadDay } from '../warehouse/loadDay.js';
import { loadedDayRecord } from '../warehouse/loadedDayRecord.js';
import { migrate } from '../warehouse/migrate.js';
import { loadMetricRegistry } from '../warehouse/metricRegistry.js';
import { runMetric, runModels } from '../warehouse/runMetric.js';
import { verifyWarehouseDay } from '../warehouse/verifyWarehouseDay.js';
import { WAREHOUSE_TABLES, type WarehouseTableName } from '../warehouse/tables.js';
import { sqlWarehouseFromConfig, warehouseFromConfig } from '../warehouse/warehouseFromConfig.js';
import { pipelineMetrics } from '../metrics/pipelineMetrics.js';

type RpcConfig = Pick<Config, 'rpcUrls' | 'rpcBatchSize' | 'rpcMaxRps' | 'rpcTimeoutMs' | 'rpcMaxRetries' | 'rpcRetryBudgetMs'>;
type LakeConfig = Parameters<typeof lakeFromConfig>[0];

/**
 * A client of a section this worker's roles do not configure: every use fails with a message
 * naming the settings, so a task routed to the wrong queue says why instead of half-working.
 */
function missing<T extends object>(what: string, variable: string): T {
  return new Proxy({} as T, {
    get(_target, property) {
      // Not a thenable, and inspectable by loggers: only real uses fail.
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new ConfigurationError(`This worker has no ${what} (${variable} is not read by its LEDGERFLOW_ROLES)`, {
        fix: `run this activity on a worker whose role reads ${variable}: export for the node, export and load for the lake, load and metrics for the warehouse`,
      });
    },
  });
}

/**
 * Binds the chain, lake and warehouse libraries to one process's clients (RPC pool, S3 client, pg
 * pool, metrics registry), for the sections its roles configure (configForRoles): a load worker
 * holds no RPC pool, an export worker no database pool. Secrets stay here: workflows only ever
 * see keys and counts.
 */
export function createActivityDeps(config: RoleConfig, logger: Logger, registry?: Registry): { deps: ActivityDeps; close(): Promise<void> } {
  const hasRpc = config.rpcUrls !== undefined;
  const hasLake = config.s3Bucket !== undefined;
  const hasWarehouse = hasLake && config.databaseUrl !== undefined;
  const rpc: RpcClient = hasRpc ? createRpcPool(rpcPoolOptionsFromConfig(config as RpcConfig, { logger, ...(registry ? { registry } : {}) })) : missing('RPC endpoint', 'RPC_URL');
  const store: LakeStoreDeps = hasLake ? { ...lakeFromConfig(config as LakeConfig), logger } : { s3: missing('lake', 'S3_BUCKET'), lake: missing('lake', 'S3_BUCKET'), logger };
  // Read once at start-up: a malformed key fails the worker with a one-line error, not a day.
  const signer = config.signingKey ? loadManifestSigner(config.signingKey) : undefined;
  const trustedKeys = config.trustedKeys ?? [];
  const trusted = loadTrustedKeys(trustedKeys.length > 0 ? trustedKeys : config.signingKey ? [config.signingKey] : []);
  const warehouse = hasWarehouse ? warehouseFromConfig(config as WarehouseConfig, logger) : missing<ReturnType<typeof warehouseFromConfig>>('warehouse', 'DATABASE_URL');
  // Models and metrics only run SQL: a metrics worker has the database and no lake.
  const hasSql = !hasWarehouse && config.databaseUrl !== undefined;
  const sql = hasWarehouse ? warehouse : hasSql ? sqlWarehouseFromConfig(config as SqlWarehouseConfig, logger) : missing<ReturnType<typeof sqlWarehouseFromConfig>>('warehouse', 'DATABASE_URL');
  let chainId: number | undefined = undefined;
  // Stage throughput for the dashboards; counted here, where each library call completes.
  const metrics = registry ? pipelineMetrics(registry) : undefined;

  const deps: ActivityDeps = {
    entities: config.entities,
    async chainId(signal) {
      chainId ??= await rpcChainId(rpc, signal);
      return chainId;
    },
    clientVersion: (signal) => rpcClientVersion(rpc, signal),
    blockRangeForDate: (date, signal) =>
      blockRangeForDate(rpc, date, {
        finalityDepth: config.finalityDepth,
        signal,
        // Which rule made the day final, and on which (masked) endpoints: the audit trail of the range.
        onFinality: (r) =>
          logger.info(
            { date, rule: r.rule, head: r.head, finalized_block: r.finalizedBlock, endpoint: r.endpoint, cross_checked_on: r.crossCheckedOn },
            'day range final',
          ),
      }),
    planChunks: (id, date, range) => planChunks(id, date, range, config.chunkSize),
    async exportChunk(input, options) {
      const result = await exportChunkToLake({ ...store, rpc }, input, options);
      if (metrics) {
        const { chunk } = result;
        metrics.blocksExported.inc({ chain_id: String(chunk.chainId) }, chunk.range.end - chunk.range.start + 1);
        for (const file of result.files) {
          metrics.rowsExported.inc({ table: file.entity }, file.rows);
          metrics.bytesUploaded.inc({ table: file.entity }, file.bytes);
        }
      }
      return result;
    },
    sealDay: (input) =>
      sealDay(
        { ...store, ...(signer ? { signer } : {}) },
        {
          chainId: input.chainId,
          date: input.date,
          range: input.range,
          entities: input.entities,
          chunks: input.results,
          exporterVersion: exporterVersion(),
          nodeClientVersion: input.nodeClientVersion,
        },
        { ...(input.supersede ? { supersede: input.supersede } : {}), unsigned: config.sealUnsigned ?? false },
      ),
    readManifest: (key, signal) => readManifestAt(store, key, { signal }),
    async loadDay(input, { onTableStaged }) {
      const result = await loadDay(warehouse, { ...input, onTableStaged });
      for (const table of result.tables) metrics?.rowsLoaded.inc({ table: table.table }, table.rows);
      return { tables: result.tables };
    },
    loadableTables: (entities) => entities.filter(isWarehouseTable),
    async migrate() {
      await migrate(warehouse);
    },
    async runModels(input) {
      const results = await runModels(sql, { date: input.date, range: input.range });
      for (const r of results) metrics?.modelDuration.observe({ model: r.model }, r.ms / 1000);
      return { models: results.map((r) => ({ name: r.model, rows: r.rows })) };
    },
    metricRegistry: () => loadMetricRegistry(sql.metricsDir ? { userDir: sql.metricsDir } : {}),
    async runMetric(input) {
      const result = await runMetric(sql, { metric: input.metric, date: input.date, ...(input.range ? { range: input.range } : {}) });
      metrics?.modelDuration.observe({ model: result.model }, result.ms / 1000);
      return result;
    },
    findManifest: async (day) => (await findDayManifest(store, day)) ?? null,
    async verifyLake(found) {
      const [objects, signature] = await Promise.all([checkLakeObjects(store, found.manifest), verifyManifestSignature(store, found, trusted)]);
      const mismatches = objects.problems.map((p) => `lake mismatch: ${p.key}: ${p.problem} (manifest ${String(p.expected)}, stored ${String(p.actual ?? 'none')})`);
      // With trusted keys configured, a manifest that calls itself unsigned proves nothing.
      if (signature.status !== 'valid' && !(signature.status === 'unsigned' && trusted.length === 0)) {
        mismatches.push(`lake mismatch: ${found.key}: signature ${signature.status}${signature.keyId ? ` (key ${signature.keyId})` : ''}`);
      }
      const signed = signature.status === 'unsigned' ? 'manifest sealed unsigned' : `signature ${signature.status}${signature.keyId ? ` by key ${signature.keyId}` : ''}`;
      return { checked: found.manifest.files.length, mismatches, note: `${found.manifest.files.length} objects hashed; ${signed}` };
    },
    async verifyWarehouse(found) {
      const result = await verifyWarehouseDay(warehouse, { manifest: found.manifest, manifestSha256: found.sha256 });
      return {
        checked: result.tables.length,
        mismatches: result.mismatches,
        note: `${result.tables.map((t) => `${t.table} ${t.actualRows}/${t.expectedRows}`).join(', ')}; loaded from ${result.loadedManifestSha256 ?? 'no recorded manifest'}`,
      };
    },
    async verifyDay(manifest, signal) {
      const result = await verifyDay({ lake: store.lake, logger, rpc }, { manifest }, { signal });
      return [
        ...result.mismatches.map((m) => ({ key: m.key, entity: m.entity, expectedSha256: m.expectedSha256, actualSha256: m.actualSha256, reason: m.reason })),
        ...result.hashMismatches.map((h) => ({
          key: `chunk ${h.chunk}`,
          entity: 'blocks',
          expectedSha256: h.expected,
          actualSha256: h.actual,
          reason: `${h.field} differs`,
        })),
      ];
    },
    isDayLoaded: async (day) => (await loadedDayRecord(warehouse, day))?.manifestSha256 === day.manifestSha256,
  };
  return {
    deps,
    async close() {
      if (hasRpc) await rpc.close();
      if (hasLake) store.s3.destroy();
      if (hasWarehouse) await warehouse.close();
      if (hasSql) await sql.close();
    },
  };
}

function isWarehouseTable(entity: string): entity is WarehouseTableName {
  return (WAREHOUSE_TABLES as readonly string[]).includes(entity);
}
