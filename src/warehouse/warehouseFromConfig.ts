import pg from 'pg';
import type { Config } from '../config.js';
import { lakeFromConfig } from '../lake/lakeFromConfig.js';
import type { Logger } from '../log.js';
import type { WarehouseDeps } from './types.js';

export type WarehouseConfig = Pick<
  Config,
  's3Endpoint' | 's3Region' | 's3ForcePathStyle' | 's3Bucket' | 's3Prefix' | 'databaseUrl' | 'warehouseDialect' | 'warehouseSchema' | 'redshiftIamRole'
>;

/**
 * Warehouse dependencies from the validated config. A small pool: loads run on few worker slots
 * to protect the warehouse, and each load holds one connection. `close` ends pool and S3 client.
 */
export function warehouseFromConfig(config: WarehouseConfig, logger: Logger): WarehouseDeps & { close(): Promise<void> } {
  const { s3, lake } = lakeFromConfig(config);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4 });
  // An idle client's error (server restart) would otherwise crash the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle warehouse connection failed'));
  return {
    pool,
    s3,
    lake,
    schema: config.warehouseSchema,
    dialect: config.warehouseDialect,
    logger,
    ...(config.redshiftIamRole ? { iamRole: config.redshiftIamRole } : {}),
    async close() {
      s3.destroy();
      await pool.end();
    },
  };
}
