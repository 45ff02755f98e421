import { describe, expect, it } from 'vitest';
import { copyManifestKey, s3Url } from '../../../src/lake/objectKey.js';
import { MIGRATIONS } from '../../../src/warehouse/migrations.js';
import { modelCatalog } from '../../../src/warehouse/modelCatalog.js';
import { dayWindow } from '../../../src/warehouse/modelWindow.js';
import { redshiftLoadSql } from '../../../src/warehouse/redshiftLoadSql.js';
import { tableDdl } from '../../../src/warehouse/tableDdl.js';
import { TABLE_DEFS, WAREHOUSE_TABLES } from '../../../src/warehouse/tables.js';

const ROLE = 'arn:aws:iam::123456789012:role/ledgerflow-redshift-copy';

/** What each `CAST(<operand> AS <type>)` in the SQL casts, in order (parentheses matched). */
function castOperands(sql: string, type: string): string[] {
  const operands: string[] = [];
  for (let at = sql.indexOf('CAST('); at >= 0; at = sql.indexOf('CAST(', at + 1)) {
    let depth = 0;
    for (let i = at + 4; i < sql.length; i++) {
      if (sql[i] === '(') depth++;
      else if (sql[i] === ')' && --depth === 0) {
        const inner = sql.slice(at + 5, i);
        if (inner.endsWith(` AS ${type}`)) operands.push(inner.slice(0, -` AS ${type}`.length));
        break;
      }
    }
  }
  return operands;
}

function loadSql(table: 'blocks' | 'token_transfers') {
  return redshiftLoadSql({
    schema: 'ledgerflow',
    table: TABLE_DEFS[table],
    date: '2024-03-04',
    range: { start: 19_350_000, end: 19_357_199 },
    copyManifestUrl: s3Url('lake-bucket', copyManifestKey({ prefix: 'ledgerflow', chainId: 1, date: '2024-03-04', entity: table })),
    iamRole: ROLE,
  });
}

describe('redshift SQL snapshot', () => {
  it('loads token_transfers with one manifest COPY into a per-day staging table, then swaps the day', () => {
    expect(loadSql('token_transfers')).toMatchInlineSnapshot(`
      {
        "cleanup": [
          "DROP TABLE IF EXISTS ledgerflow.stg_token_transfers_20240304",
        ],
        "copy": "COPY ledgerflow.stg_token_transfers_20240304 ("token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number")
      FROM 's3://lake-bucket/ledgerflow/chain=1/manifests/date=2024-03-04/copy/token_transfers.manifest'
      IAM_ROLE 'arn:aws:iam::123456789012:role/ledgerflow-redshift-copy'
      MANIFEST GZIP CSV IGNOREHEADER 1 EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF",
        "prepare": [
          "DROP TABLE IF EXISTS ledgerflow.stg_token_transfers_20240304",
          "CREATE TABLE ledgerflow.stg_token_transfers_20240304 (LIKE ledgerflow.token_transfers)",
        ],
        "select": ""token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number"",
        "stage": "ledgerflow.stg_token_transfers_20240304",
        "swap": [
          "DELETE FROM ledgerflow.token_transfers WHERE "block_number" BETWEEN 19350000 AND 19357199",
          "INSERT INTO ledgerflow.token_transfers ("token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number") SELECT "token_address", "from_address", "to_address", "value", "transaction_hash", "log_index", "block_number" FROM ledgerflow.stg_token_transfers_20240304",
        ],
        "verify": "SELECT COUNT(*) AS rows, SUM(CASE WHEN "block_number" BETWEEN 19350000 AND 19357199 THEN 0 ELSE 1 END) AS outside FROM ledgerflow.stg_token_transfers_20240304",
      }
    `);
  });

  it('deletes blocks by number and keeps IAM role and manifest URL quoted', () => {
    const sql = loadSql('blocks');
    expect(sql.copy).toMatchInlineSnapshot(`
      "COPY ledgerflow.stg_blocks_20240304 ("number", "hash", "parent_hash", "nonce", "sha3_uncles", "logs_bloom", "transactions_root", "state_root", "receipts_root", "miner", "difficulty", "total_difficulty", "size", "extra_data", "gas_limit", "gas_used", "timestamp", "transaction_count", "base_fee_per_gas", "withdrawals_root", "withdrawals", "blob_gas_used", "excess_blob_gas")
      FROM 's3://lake-bucket/ledgerflow/chain=1/manifests/date=2024-03-04/copy/blocks.manifest'
      IAM_ROLE 'arn:aws:iam::123456789012:role/ledgerflow-redshift-copy'
      MANIFEST GZIP CSV IGNOREHEADER 1 EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF"
    `);
    expect(sql.swap[0]).toMatchInlineSnapshot(`"DELETE FROM ledgerflow.blocks WHERE "number" BETWEEN 19350000 AND 19357199"`);
    const quoted = redshiftLoadSql({ schema: 'ledgerflow', table: TABLE_DEFS.blocks, date: '2024-03-04', range: { start: 1, end: 2 }, copyManifestUrl: "s3://b/it's", iamRole: ROLE });
    expect(quoted.copy).toContain("FROM 's3://b/it''s'");
  });

  it('creates entity tables with DISTKEY/SORTKEY and lossless uint256 (VARCHAR(78))', () => {
    expect(tableDdl(TABLE_DEFS.blocks, 'redshift', 'ledgerflow')).toMatchInlineSnapshot(`
      [
        "CREATE TABLE IF NOT EXISTS ledgerflow.blocks (
        "number" BIGINT,
        "hash" VARCHAR(66),
        "parent_hash" VARCHAR(66),
        "nonce" VARCHAR(65535),
        "sha3_uncles" VARCHAR(66),
        "logs_bloom" VARCHAR(65535),
        "transactions_root" VARCHAR(66),
        "state_root" VARCHAR(66),
        "receipts_root" VARCHAR(66),
        "miner" VARCHAR(42),
        "difficulty" VARCHAR(78),
        "total_difficulty" VARCHAR(78),
        "size" BIGINT,
        "extra_data" VARCHAR(65535),
        "gas_limit" BIGINT,
        "gas_used" BIGINT,
        "timestamp" BIGINT,
        "transaction_count" BIGINT,
        "base_fee_per_gas" DECIMAL(38,0),
        "withdrawals_root" VARCHAR(66),
        "withdrawals" VARCHAR(65535),
        "blob_gas_used" BIGINT,
        "excess_blob_gas" BIGINT
      )
      DISTSTYLE KEY DISTKEY ("number")
      COMPOUND SORTKEY ("timestamp")",
      ]
    `);
    expect(tableDdl(TABLE_DEFS.token_transfers, 'redshift', 'ledgerflow')).toMatchInlineSnapshot(`
      [
        "CREATE TABLE IF NOT EXISTS ledgerflow.token_transfers (
        "token_address" VARCHAR(42),
        "from_address" VARCHAR(42),
        "to_address" VARCHAR(42),
        "value" VARCHAR(78),
        "transaction_hash" VARCHAR(66),
        "log_index" BIGINT,
        "block_number" BIGINT
      )
      DISTSTYLE KEY DISTKEY ("block_number")
      COMPOUND SORTKEY ("block_number")",
      ]
    `);
    expect(tableDdl(TABLE_DEFS.tokens, 'redshift', 'ledgerflow')[0]).toContain('DISTSTYLE ALL');
  });

  it('never truncates columns, never uses DECIMAL(38,0) for uint256, and sorts every table for range scans', async () => {
    const statements = [
      ...(await Promise.all(MIGRATIONS.map((m) => m.statements('redshift', 'ledgerflow')))).flat(),
      loadSql('blocks').copy,
      loadSql('token_transfers').copy,
    ].join('\n');
    expect(statements).not.toMatch(/TRUNCATECOLUMNS/);
    expect(statements).not.toMatch(/CREATE INDEX/);
    expect(statements).toContain('CREATE TABLE IF NOT EXISTS ledgerflow.chain_activity');
    for (const table of WAREHOUSE_TABLES) {
      const ddl = tableDdl(TABLE_DEFS[table], 'redshift', 'ledgerflow')[0] ?? '';
      expect(ddl).toContain(table === 'blocks' ? 'SORTKEY ("timestamp")' : 'SORTKEY ("block_number")');
      for (const column of TABLE_DEFS[table].columns.filter((c) => c.type === 'uint256')) {
        expect(ddl).toContain(`"${column.name}" VARCHAR(78)`);
      }
    }
  });

  it('casts only digit slices of at most 38 digits to DECIMAL and keeps amounts as exact text (mock: no Redshift here)', async () => {
    const window = { ...dayWindow('2024-03-04'), blockFrom: 19_350_000, blockTo: 19_357_199 };
    const models = await modelCatalog();
    const render = (name: string) => {
      const model = models.find((m) => m.name === name);
      return { create: model?.createStatements('redshift', 'ledgerflow').join('\n') ?? '', insert: model?.insertSql('redshift', 'ledgerflow', window) ?? '' };
    };
    expect(render('token_activity').create).toContain('volume VARCHAR(100) NOT NULL');
    expect(render('token_activity').insert).toContain('CAST(x.value AS VARCHAR(100)) AS v');
    expect(render('security_token_movements').create).toContain('value VARCHAR(100) NOT NULL');
    expect(render('security_token_balances').create).toContain('balance VARCHAR(100) NOT NULL');
    for (const column of ['issued', 'redeemed', 'transferred']) expect(render('security_token_activity').create).toContain(`${column} VARCHAR(100) NOT NULL`);
    // The others count, or cast gas and fees (bounded by the ETH supply), or pass exact text on.
    const amountArithmetic = ['token_activity', 'security_token_activity', 'security_token_balances', 'security_token_holders', 'security_token_holders_by_partition'];
    for (const model of models.filter((m) => amountArithmetic.includes(m.name) || m.name === 'security_token_movements')) {
      const { insert } = render(model.name);
      // Amounts reach DECIMAL(38,0) only as a slice of their digits: at most 26 from the right or
      // the middle, what is left of the left of an amount's 52 lowest digits, the 12 leftmost of
      // a shifted 38-digit limb sum; or the constant 5 * 10^37 that shifts it.
      const casts = castOperands(insert, 'DECIMAL(38,0)');
      // Movements only pass amounts on as text; every other amount model does limb arithmetic.
      if (model.name !== 'security_token_movements') expect(casts.length, model.name).toBeGreaterThan(0);
      for (const operand of casts) {
        expect(operand, model.name).toMatch(/^(RIGHT\(.*, 26\)|LEFT\((\w+), LENGTH\(\2\) - 52\)|LEFT\(CAST\(.* AS VARCHAR\(40\)\), 12\)|'5(0{37})')$/);
      }
      expect(insert, model.name).not.toMatch(/[^.\w]amount AS DECIMAL|value AS DECIMAL|balance AS DECIMAL/);
    }
    expect(castOperands(render('security_token_holders').insert, 'DECIMAL(38,0)').length).toBeGreaterThan(10);
  });

  it('migrates an existing Redshift token_activity to the exact volume in one swap, and leaves PostgreSQL alone', async () => {
    const migration = MIGRATIONS.find((m) => m.version === 4);
    expect(await migration?.statements('postgres', 'ledgerflow')).toEqual([]);
    const statements = (await migration?.statements('redshift', 'ledgerflow')) ?? [];
    expect(statements[0]).toBe('ALTER TABLE ledgerflow.token_activity RENAME TO token_activity_before_v4');
    // Migration 4 recreates the table from today's model file; migration 5 then swaps it again.
    expect(statements.join('\n')).toContain('volume VARCHAR(100) NOT NULL');
    expect(statements.at(-2)).toBe(
      'INSERT INTO ledgerflow.token_activity (grain, bucket_start, token_address, transfers, volume, distinct_senders, distinct_receivers) ' +
        'SELECT grain, bucket_start, token_address, transfers, CAST(volume AS VARCHAR(80)), distinct_senders, distinct_receivers FROM ledgerflow.token_activity_before_v4',
    );
    expect(statements.at(-1)).toBe('DROP TABLE ledgerflow.token_activity_before_v4');
  });

  it('migrates the security-token amounts and the token volume on Redshift to exact text, keeping the rows (mock: no Redshift here)', async () => {
    const migration = MIGRATIONS.find((m) => m.version === 5);
    expect(await migration?.statements('postgres', 'ledgerflow')).toEqual([]);
    const statements = (await migration?.statements('redshift', 'ledgerflow')) ?? [];
    const renames = statements.filter((s) => s.startsWith('ALTER TABLE'));
    expect(renames).toEqual(
      ['token_activity', 'security_token_movements', 'security_token_balances', 'security_token_activity'].map(
        (t) => `ALTER TABLE ledgerflow.${t} RENAME TO ${t}_before_v5`,
      ),
    );
    expect(statements.filter((s) => s.startsWith('DROP TABLE'))).toHaveLength(4);
    expect(statements).toContain(
      'INSERT INTO ledgerflow.security_token_balances (day_start, token_address, holder, balance) ' +
        'SELECT day_start, token_address, holder, CAST(balance AS VARCHAR(100)) FROM ledgerflow.security_token_balances_before_v5',
    );
    expect(statements).toContain(
      'INSERT INTO ledgerflow.security_token_activity (grain, bucket_start, token_address, "partition", issued, redeemed, transferred, movements) ' +
        'SELECT grain, bucket_start, token_address, "partition", CAST(issued AS VARCHAR(100)), CAST(redeemed AS VARCHAR(100)), CAST(transferred AS VARCHAR(100)), movements ' +
        'FROM ledgerflow.security_token_activity_before_v5',
    );
    // The columns it copies are each table's columns today: a model whose columns change needs
    // its own migration, and this test points at the list to revisit.
    const models = await modelCatalog();
    for (const insert of statements.filter((s) => s.startsWith('INSERT INTO'))) {
      const [, table, columns] = insert.match(/^INSERT INTO ledgerflow\.(\w+) \(([^)]*)\)/) ?? [];
      const create = models.find((m) => m.table === table)?.createStatements('redshift', 'ledgerflow')[0] ?? '';
      const current = create.split('\n').slice(1, -1).map((line) => line.trim().split(' ')[0]);
      expect(columns?.split(', '), table).toEqual(current);
    }
    // Each table is renamed, created again, filled and dropped in that order.
    for (const table of ['token_activity', 'security_token_movements', 'security_token_balances', 'security_token_activity']) {
      const at = (prefix: string) => statements.findIndex((s) => s.startsWith(prefix));
      const steps = [`ALTER TABLE ledgerflow.${table} `, `CREATE TABLE IF NOT EXISTS ledgerflow.${table} `, `INSERT INTO ledgerflow.${table} `, `DROP TABLE ledgerflow.${table}_before_v5`].map(at);
      expect(steps.every((i) => i >= 0), table).toBe(true);
      expect([...steps].sort((a, b) => a - b), table).toEqual(steps);
    }
  });

  it('creates metrics_data on Redshift sorted for time-range reads (mock: no Redshift here)', async () => {
    const migration = MIGRATIONS.find((m) => m.version === 7);
    expect(await migration?.statements('redshift', 'ledgerflow')).toMatchInlineSnapshot(`
      [
        "CREATE TABLE IF NOT EXISTS ledgerflow.metrics_data (
        metric VARCHAR(128) NOT NULL,
        grain VARCHAR(8) NOT NULL,
        bucket_start TIMESTAMP NOT NULL,
        dimensions VARCHAR(4096) NOT NULL,
        value DECIMAL(38,6),
        value_json VARCHAR(65535)
      )
      DISTSTYLE AUTO
      COMPOUND SORTKEY (metric, grain, bucket_start)",
      ]
    `);
    expect(await migration?.statements('postgres', 'ledgerflow')).toContain('CREATE UNIQUE INDEX IF NOT EXISTS metrics_data_key_idx ON ledgerflow.metrics_data (metric, grain, bucket_start, dimensions)');
  });

  it('renders the models for Redshift without PostgreSQL-only syntax', async () => {
    const window = { ...dayWindow('2024-03-04'), blockFrom: 19_350_000, blockTo: 19_357_199 };
    for (const model of await modelCatalog()) {
      const sql = [...model.createStatements('redshift', 'ledgerflow'), model.deleteSql('redshift', 'ledgerflow', window), model.insertSql('redshift', 'ledgerflow', window)].join('\n');
      expect(sql).not.toMatch(/::|CREATE INDEX|NUMERIC\b(?!\()|FILTER \(|LATERAL|\{\{/);
      expect(sql).toContain('ledgerflow.');
    }
    const issuance = (await modelCatalog()).find((m) => m.name === 'security_token_issuance');
    expect(issuance?.deleteSql('redshift', 'ledgerflow', window)).toMatchInlineSnapshot(`"DELETE FROM ledgerflow.metrics_data WHERE metric = 'security_token_issuance' AND ((grain IN ('hour', 'day') AND bucket_start >= TIMESTAMP '2024-03-04 00:00:00' AND bucket_start < TIMESTAMP '2024-03-05 00:00:00') OR (grain = 'week' AND bucket_start >= TIMESTAMP '2024-03-04 00:00:00' AND bucket_start < TIMESTAMP '2024-03-11 00:00:00'))"`);
    const chain = (await modelCatalog()).find((m) => m.name === 'chain_activity');
    expect(chain?.deleteSql('redshift', 'ledgerflow', window)).toMatchInlineSnapshot(`"DELETE FROM ledgerflow.chain_activity WHERE ((grain IN ('hour', 'day') AND bucket_start >= TIMESTAMP '2024-03-04 00:00:00' AND bucket_start < TIMESTAMP '2024-03-05 00:00:00') OR (grain = 'week' AND bucket_start >= TIMESTAMP '2024-03-04 00:00:00' AND bucket_start < TIMESTAMP '2024-03-11 00:00:00'))"`);
  });
});
