import type { S3Client } from '@aws-sdk/client-s3';
import type { Pool } from 'pg';
import type { Logger } from '../log.js';
import type { LakeLocation } from '../lake/types.js';

export type Dialect = 'postgres' | 'redshift';

/** Everything the warehouse library needs, passed as one plain object (no singletons). */
export interface WarehouseDeps {
  pool: Pool;
  s3: S3Client;
  lake: LakeLocation;
  /** Schema holding the tables, models and migrations record, e.g. `ledgerflow`. */
  schema: string;
  dialect: Dialect;
  logger: Logger;
  /** Redshift only: the IAM role ARN COPY assumes to read the lake. */
  iamRole?: string;
}
