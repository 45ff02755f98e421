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
];

export function migrationsTable(schema: string): string {
  return qualified(schema, 'schema_migrations');
}
