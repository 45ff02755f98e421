import { modelCatalog } from './modelCatalog.js';
import { qualified } from './sqlIdentifier.js';
import { ENTITY_TABLES_V1 } from './entityTablesV1.js';
import { tableDdl } from './tableDdl.js';
import { frozenColumns, type TableShape } from './tables.js';
import type { Dialect } from './types.js';

export interface Migration {
  version: number;
  name: string;
  statements(dialect: Dialect, schema: string): Promise<string[]> | string[];
  /**
   * The entity tables it creates, frozen as released (never read from the registry, which grows):
   * every entity with a warehouse table has one migration listing it (entityTableMigrations.test.ts).
   */
  entityTables?: readonly TableShape[];
}

/** The native_transfers table as migration 8 released it (frozen: the entity may change later). */
const NATIVE_TRANSFERS_V8: TableShape = {
  name: 'native_transfers',
  columns: frozenColumns(`
    block_number int64, block_hash hash, transaction_index int64, transaction_hash hash, transfer_index int64,
    trace_address int64[], trace_type string, from_address address, to_address address, value uint256
  `),
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

/**
 * Ordered, append-only: a released migration never changes; a schema change is a new entry.
 * Each runs in one transaction (migrate.ts), so an interrupted migration leaves nothing behind;
 * the ones that only create are also safe to repeat (IF NOT EXISTS).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'entity tables',
    entityTables: ENTITY_TABLES_V1,
    statements: (dialect, schema) => createEntityTables(ENTITY_TABLES_V1, dialect, schema),
  },
  {
    version: 2,
    name: 'model tables',
    async statements(dialect, schema) {
      // The models this migration was released with: a model added later gets its own migration.
      const models = (await modelCatalog()).filter((m) => MODELS_V2.includes(m.name));
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
  {
    version: 5,
    name: 'security-token amounts exact past 38 digits, sums past 80',
    async statements(dialect, schema) {
      // PostgreSQL held these as NUMERIC all along. On Redshift the DECIMAL(38,0) amounts (and
      // token_activity's VARCHAR(80) volume) become decimal text of up to 100 characters; the rows
      // already there keep their value. Inside the migration's transaction each swap is all or nothing.
      if (dialect === 'postgres') return [];
      const models = await modelCatalog();
      return EXACT_AMOUNT_COLUMNS_V5.flatMap(({ table, columns, exact }) => {
        const model = models.find((m) => m.table === table);
        if (!model) throw new Error(`model ${table} is missing from src/warehouse/models`);
        const previous = `${table}_before_v5`;
        const select = columns.map((c) => (exact.includes(c) ? `CAST(${c} AS VARCHAR(100))` : c)).join(', ');
        return [
          `ALTER TABLE ${qualified(schema, table)} RENAME TO ${previous}`,
          ...model.createStatements(dialect, schema),
          `INSERT INTO ${qualified(schema, table)} (${columns.join(', ')}) SELECT ${select} FROM ${qualified(schema, previous)}`,
          `DROP TABLE ${qualified(schema, previous)}`,
        ];
      });
    },
  },
  {
    version: 6,
    name: 'loaded days record the manifest they were loaded from',
    // One column per ALTER: Redshift adds no more at once. NULL for days loaded before.
    statements: (_dialect, schema) => [
      `ALTER TABLE ${loadedDaysTable(schema)} ADD COLUMN manifest_sha256 VARCHAR(64)`,
      `ALTER TABLE ${loadedDaysTable(schema)} ADD COLUMN manifest_key VARCHAR(1024)`,
    ],
  },
  {
    version: 7,
    name: 'long-form metrics table',
    statements: (dialect, schema) => metricsDataDdl(dialect, schema),
  },
  {
    version: 8,
    name: 'native_transfers table',
    entityTables: [NATIVE_TRANSFERS_V8],
    statements: (dialect, schema) => createEntityTables([NATIVE_TRANSFERS_V8], dialect, schema),
  },
];

const MODELS_V2: readonly string[] = ['chain_activity', 'security_token_activity', 'security_token_balances', 'security_token_holders', 'security_token_movements', 'token_activity'];

/**
 * Counters, gauges and histograms of the metric registry, one row per metric, grain, bucket and
 * dimension set. `dimensions` is canonical JSON text (keys sorted, '{}' for none) so it can be
 * part of the key on both warehouses (Redshift has no JSON column type to index); `value` is the
 * number a chart plots, `value_json` what a number cannot hold (histogram buckets, amounts past
 * 38 digits as exact text). Each run replaces a metric's rows in its buckets (applyModels.ts), so
 * the unique key below never sees a second copy. On Redshift the table stays small and a handful
 * of metric names would skew a DISTKEY, so Redshift picks the distribution.
 */
function metricsDataDdl(dialect: Dialect, schema: string): string[] {
  const table = qualified(schema, 'metrics_data');
  const create = `CREATE TABLE IF NOT EXISTS ${table} (
  metric VARCHAR(128) NOT NULL,
  grain VARCHAR(8) NOT NULL,
  bucket_start TIMESTAMP NOT NULL,
  dimensions VARCHAR(4096) NOT NULL,
  value ${dialect === 'postgres' ? 'NUMERIC' : 'DECIMAL(38,6)'},
  value_json ${dialect === 'postgres' ? 'TEXT' : 'VARCHAR(65535)'}
)${dialect === 'redshift' ? '\nDISTSTYLE AUTO\nCOMPOUND SORTKEY (metric, grain, bucket_start)' : ''}`;
  return dialect === 'postgres'
    ? [create, `CREATE UNIQUE INDEX IF NOT EXISTS metrics_data_key_idx ON ${table} (metric, grain, bucket_start, dimensions)`]
    : [create];
}

/**
 * The model tables migration 5 rebuilds on Redshift: their columns then, and which become exact
 * text. It creates them from today's model files (as migration 4 does token_activity), so a later
 * change to their columns needs a migration that keeps this one working; redshiftSql.test.ts
 * compares these lists with the model files.
 */
const EXACT_AMOUNT_COLUMNS_V5: ReadonlyArray<{ table: string; columns: readonly string[]; exact: readonly string[] }> = [
  {
    table: 'token_activity',
    columns: ['grain', 'bucket_start', 'token_address', 'transfers', 'volume', 'distinct_senders', 'distinct_receivers'],
    exact: ['volume'],
  },
  {
    table: 'security_token_movements',
    columns: ['block_timestamp', 'block_number', 'transaction_hash', 'log_index', 'token_address', '"partition"', 'kind', 'from_address', 'to_address', 'value'],
    exact: ['value'],
  },
  { table: 'security_token_balances', columns: ['day_start', 'token_address', 'holder', 'balance'], exact: ['balance'] },
  {
    table: 'security_token_activity',
    columns: ['grain', 'bucket_start', 'token_address', '"partition"', 'issued', 'redeemed', 'transferred', 'movements'],
    exact: ['issued', 'redeemed', 'transferred'],
  },
];

function createEntityTables(tables: readonly TableShape[], dialect: Dialect, schema: string): string[] {
  return tables.flatMap((table) => tableDdl(table, dialect, schema));
}

/** One row per loaded (chain, day): which sealed range the tables hold, for models and audits. */
export function loadedDaysTable(schema: string): string {
  return qualified(schema, 'loaded_days');
}

export function migrationsTable(schema: string): string {
  return qualified(schema, 'schema_migrations');
}
