import pg from 'pg';
import type { Config } from '../config.js';
import { lakeFromConfig } from '../lake/lakeFromConfig.js';
import type { Logger } from '../log.js';
import type { SqlWarehouseDeps, WarehouseDeps } from './types.js';

export type SqlWarehouseConfig = Pick<Config, 'databaseUrl' | 'warehouseDialect' | 'warehouseSchema' | 'metricsDir'>;

export type WarehouseConfig = SqlWarehouseConfig & Pick<Config, 's3Endpoint' | 's3Region' | 's3ForcePathStyle' | 's3Bucket' | 's3Prefix' | 'redshiftIamRole'>;

/**
 * Warehouse dependencies from the validated config. A small pool: loads run on few worker slots
 * to protect the warehouse, and each load holds one connection. `close` ends pool and S3 client.
 */
export function warehouseFromConfig(config: WarehouseConfig, logger: Logger): WarehouseDeps & { close(): Promise<void> } {
  const { s3, lake } = lakeFromConfig(config);
  const sql = sqlWarehouseFromConfig(config, logger);
  return {
    ...sql,
    s3,
    lake,
    ...(config.redshiftIamRole ? { iamRole: config.redshiftIamRole } : {}),
    async close() {
      s3.destroy();
      await sql.close();
    },
  };
}

/** The warehouse without the lake, for what only runs SQL (models, metrics, reports): it needs no S3 settings. */
export function sqlWarehouseFromConfig(config: SqlWarehouseConfig, logger: Logger): SqlWarehouseDeps & { close(): Promise<void> } {
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
  // An idle client's error (server restart) would otherwise crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle warehouse connection failed'));
  return {
    pool,
    schema: config.warehouseSchema,
    dialect: config.warehouseDialect,
    logger,
    ...(config.metricsDir ? { metricsDir: config.metricsDir } : {}),
    async close() {
      await pool.end();
    },
  };
}
