import { modelCatalog } from './modelCatalog.js';
import { qualified } from './sqlIdentifier.js';
import { tableDdl } from './tableDdl.js';
import { TABLE_DEFS, WAREHOUSE_TABLES } from './tables.js';
import type { Dialect } from './types.js';

export interface Migration {
  version: number;
  name: string;
  statements(dialect: Dialect, schema: string): Promise<string[]> | string[];
}

/**
 * Ordered, append-only: a released migration never changes; a schema change is a new entry.
 * Each runs in one transaction (migrate.ts), so an interrupted migration leaves nothing behind;
 * the ones that only create are also safe to repeat (IF NOT EXISTS).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'entity tables',
    statements: (dialect, schema) => WAREHOUSE_TABLES.flatMap((t) => tableDdl(TABLE_DEFS[t], dialect, schema)),
  },
  {
    version: 2,
    name: 'model tables',
    async statements(dialect, schema) {
      const models = await modelCatalog();
      return models.flatMap((m) => m.createStatements(dialect, schema));
    },
  },
  {
    version: 3,
    name: 'loaded days record',
    statements: (_dialect, schema) => [
      `CREATE TABLE IF NOT EXISTS ${loadedDaysTable(schema)} (
  chain_id BIGINT NOT NULL,
  day DATE NOT NULL,
  start_block BIGINT NOT NULL,
  end_block BIGINT NOT NULL,
  first_block_hash VARCHAR(66) NOT NULL,
  last_block_hash VARCHAR(66) NOT NULL,
  exporter_version VARCHAR(200) NOT NULL,
  node_client_version VARCHAR(500) NOT NULL,
  loaded_at TIMESTAMP NOT NULL
)`,
    ],
  },
  {
    version: 4,
    name: 'token_activity volume exact past 38 digits',
    async statements(dialect, schema) {
      // PostgreSQL held the volume as NUMERIC all along. On Redshift the DECIMAL(38,0) column
      // becomes the exact decimal text; the rows already there fit 38 digits and keep their value.
      // Inside the migration's transaction the swap is all or nothing.
      if (dialect === 'postgres') return [];
      const model = (await modelCatalog()).find((m) => m.table === 'token_activity');
      if (!model) throw new Error('model token_activity is missing from src/warehouse/models');
      const table = qualified(schema, 'token_activity');
      const previous = qualified(schema, 'token_activity_before_v4');
      const columns = 'grain, bucket_start, token_address, transfers, volume, distinct_senders, distinct_receivers';
      return [
        `ALTER TABLE ${table} RENAME TO token_activity_before_v4`,
        ...model.createStatements(dialect, schema),
        `INSERT INTO ${table} (${columns}) SELECT grain, bucket_start, token_address, transfers, CAST(volume AS VARCHAR(80)), distinct_senders, distinct_receivers FROM ${previous}`,
        `DROP TABLE ${previous}`,
      ];
    },
  },
];

/** One row per loaded (chain, day): which sealed range the tables hold, for models and audits. */
export function loadedDaysTable(schema: string): string {
  return qualified(schema, 'loaded_days');
}

export function migrationsTable(schema: string): string {
  return qualified(schema, 'schema_migrations');
}
