import type { S3Client } from '@aws-sdk/client-s3';
import type { Pool } from 'pg';
import type { Logger } from '../log.js';
import type { LakeLocation } from '../lake/types.js';

export type Dialect = 'postgres' | 'redshift';

/** What models and metrics need: SQL on the warehouse, no lake. */
export interface SqlWarehouseDeps {
  pool: Pool;
  /** Schema holding the tables, models and migrations record, e.g. `ledgerflow`. */
  schema: string;
  dialect: Dialect;
  logger: Logger;
  /** User metric files read beside the built-in ones (LEDGERFLOW_METRICS_DIR). */
  metricsDir?: string;
}

/** Everything the warehouse library needs, passed as one plain object (no singletons). */
export interface WarehouseDeps extends SqlWarehouseDeps {
  s3: S3Client;
  lake: LakeLocation;
  /** Redshift only: the IAM role ARN COPY assumes to read the lake. */
  iamRole?: string;
}
