import pg from 'pg';
import { createS3Client } from '../../../../src/lake/createS3Client.js';
import { createLogger } from '../../../../src/log.js';
import type { WarehouseDeps } from '../../../../src/warehouse/types.js';
import { startPostgres, type TestPostgres } from '../../../support/postgres.js';
import { startS3rver, type RunningS3rver } from '../../../support/s3rver.js';

export interface Harness {
  postgres: TestPostgres;
  s3rver: RunningS3rver;
  deps(schema: string): WarehouseDeps;
  stop(): Promise<void>;
}

/** A throwaway PostgreSQL and s3rver on loopback, and warehouse deps per schema over them. */
export async function startHarness(): Promise<Harness> {
  const [postgres, s3rver] = await Promise.all([startPostgres(), startS3rver()]);
  const pool = new pg.Pool({ connectionString: postgres.url, max: 4 });
  const s3 = createS3Client({ endpoint: s3rver.endpoint, credentials: s3rver.credentials });
  const logger = createLogger('silent');
  return {
    postgres,
    s3rver,
    deps: (schema) => ({ pool, s3, lake: { bucket: s3rver.bucket, prefix: 'lake' }, schema, dialect: 'postgres', logger }),
    async stop() {
      s3.destroy();
      await pool.end();
      await Promise.all([postgres.stop(), s3rver.stop()]);
    },
  };
}
