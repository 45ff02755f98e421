import type { Registry } from 'prom-client';
import type { ActivityDeps } from '../activities/index.js';
import { blockRangeForDate } from '../chain/blockRange/blockRangeForDate.js';
import { createRpcPool } from '../chain/rpc/createRpcPool.js';
import { rpcPoolOptionsFromConfig } from '../chain/rpc/rpcPoolOptionsFromConfig.js';
import { rpcChainId } from '../chain/rpc/rpcChainId.js';
import { rpcClientVersion } from '../chain/rpc/rpcClientVersion.js';
import type { Config } from '../config.js';
import { exportChunkToLake } from '../lake/exportChunkToLake.js';
import { exporterVersion } from '../lake/exporterVersion.js';
import { lakeFromConfig } from '../lake/lakeFromConfig.js';
import { planChunks } from '../lake/planChunks.js';
import { findDayManifest } from '../lake/readDayManifest.js';
import { sealDay } from '../lake/sealDay.js';
import { verifyDay } from '../lake/verifyDay.js';
import { validateManifest } from '../lake/validateManifest.js';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { Logger } from '../log.js';
import { loadTable } from '../warehouse/loadTable.js';
import { migrate } from '../warehouse/migrate.js';
import { runModels } from '../warehouse/runModels.js';
import { WAREHOUSE_TABLES, type WarehouseTableName } from '../warehouse/tables.js';
import { warehouseFromConfig } from '../warehouse/warehouseFromConfig.js';
import { InvalidInputError } from '../errors/LedgerflowError.js';
import { dayLoaded } from './dayLoaded.js';
import { pipelineMetrics } from '../metrics/pipelineMetrics.js';

/**
 * Binds the chain, lake and warehouse libraries to one process's clients (RPC pool, S3 client, pg
 * pool, metrics registry). Secrets stay here: workflows only ever see keys and counts.
 */
export function createActivityDeps(config: Config, logger: Logger, registry?: Registry): { deps: ActivityDeps; close(): Promise<void> } {
  const rpc = createRpcPool(rpcPoolOptionsFromConfig(config, { logger, ...(registry ? { registry } : {}) }));
  const store = { ...lakeFromConfig(config), logger };
  const warehouse = warehouseFromConfig(config, logger);
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
    blockRangeForDate: (date, signal) => blockRangeForDate(rpc, date, { finalityDepth: config.finalityDepth, signal }),
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
      sealDay(store, {
        chainId: input.chainId,
        date: input.date,
        range: input.range,
        entities: input.entities,
        chunks: input.results,
        exporterVersion: exporterVersion(),
        nodeClientVersion: input.nodeClientVersion,
      }),
    async readManifest(key, signal) {
      const response = await store.s3.send(new GetObjectCommand({ Bucket: store.lake.bucket, Key: key }), { abortSignal: signal });
      return validateManifest(JSON.parse(await (response.Body?.transformToString('utf8') ?? Promise.resolve('null'))), key);
    },
    async loadTable({ manifest, table }) {
      if (!isWarehouseTable(table)) {
        throw new InvalidInputError(`Entity ${table} has no warehouse table`, { context: { date: manifest.date }, fix: `load one of ${WAREHOUSE_TABLES.join(', ')}` });
      }
      const loaded = await loadTable(warehouse, { manifest, table });
      metrics?.rowsLoaded.inc({ table }, loaded.rows);
      return loaded;
    },
    loadableTables: (entities) => entities.filter(isWarehouseTable),
    async migrate() {
      await migrate(warehouse);
    },
    async runModels(input) {
      const results = await runModels(warehouse, { date: input.date });
      for (const r of results) metrics?.modelDuration.observe({ model: r.model }, r.ms / 1000);
      return { models: results.map((r) => ({ name: r.model, rows: r.rows })) };
    },
    findManifest: async (day) => (await findDayManifest(store, day)) ?? null,
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
    isDayLoaded: async (day) => {
      const found = await findDayManifest(store, day);
      return found !== undefined && found.sha256 === day.manifestSha256 && (await dayLoaded(warehouse, found.manifest));
    },
  };
  return {
    deps,
    async close() {
      await rpc.close();
      store.s3.destroy();
      await warehouse.close();
    },
  };
}

function isWarehouseTable(entity: string): entity is WarehouseTableName {
  return (WAREHOUSE_TABLES as readonly string[]).includes(entity);
}
