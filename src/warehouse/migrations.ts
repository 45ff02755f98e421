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
 * Every statement is also safe to repeat (IF NOT EXISTS), so a migration interrupted between
 * statements can simply run again.
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
];

/** One row per loaded (chain, day): which sealed range the tables hold, for models and audits. */
export function loadedDaysTable(schema: string): string {
  return qualified(schema, 'loaded_days');
}

export function migrationsTable(schema: string): string {
  return qualified(schema, 'schema_migrations');
}
