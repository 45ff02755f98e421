import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ENTITY_TABLES_V1 } from '../../../src/warehouse/entityTablesV1.js';
import { MIGRATIONS } from '../../../src/warehouse/migrations.js';
import { tableDdl } from '../../../src/warehouse/tableDdl.js';
import { frozenColumns, TABLE_DEFS, WAREHOUSE_TABLES, type TableShape } from '../../../src/warehouse/tables.js';

const DIALECTS = ['postgres', 'redshift'] as const;

function ddl(table: TableShape): string[] {
  return DIALECTS.flatMap((dialect) => tableDdl(table, dialect, 'ledgerflow'));
}

// Migrations freeze what they create: the registry grows and changes, a released migration does not.
describe('entity tables are created by migrations that never change', () => {
  it('migration 1 creates the ten tables it was released with, statement for statement', async () => {
    const first = MIGRATIONS.find((m) => m.version === 1);
    expect(first?.entityTables?.map((t) => t.name)).toEqual([
      'blocks', 'transactions', 'receipts', 'logs', 'token_transfers', 'erc1155_transfers', 'security_token_events', 'contracts', 'tokens', 'traces',
    ]);
    const statements: string[] = [];
    for (const dialect of DIALECTS) statements.push(...(await first!.statements(dialect, 'ledgerflow')));
    // The sha256 of the text migration 1 ran when it was released (PostgreSQL, then Redshift).
    expect(createHash('sha256').update(statements.join('\n;\n')).digest('hex')).toBe('0be9f73d8d0950f0d8444c67407a376bd8fc6bdb2c2f0f8d7a77dc1c8a65ee37');
  });

  it.each(WAREHOUSE_TABLES)('%s: exactly one migration creates it, as the registry declares it today', (table) => {
    const creators = MIGRATIONS.filter((m) => m.entityTables?.some((t) => t.name === table));
    expect(creators.map((m) => m.version), `entity ${table} has a warehouse table but no migration creates it: add one with entityTables`).toHaveLength(1);
    const frozen = creators[0]!.entityTables!.find((t) => t.name === table)!;
    // Same DDL in both dialects: a changed column list or key needs a migration that alters the table.
    expect(ddl(frozen)).toEqual(ddl(TABLE_DEFS[table]));
  });

  it('freezes only tables the registry still declares (a dropped entity needs a migration that drops its table)', () => {
    const frozen = MIGRATIONS.flatMap((m) => m.entityTables ?? []).map((t) => t.name);
    expect(frozen.filter((name) => !(WAREHOUSE_TABLES as readonly string[]).includes(name))).toEqual([]);
    expect(ENTITY_TABLES_V1.every((t) => t.columns.length > 0)).toBe(true);
  });

  it('frozen column text names one column type per column, or says which entry is wrong', () => {
    expect(frozenColumns('number int64, topics hash[]')).toEqual([{ name: 'number', type: 'int64' }, { name: 'topics', type: 'hash[]' }]);
    expect(() => frozenColumns('number int65')).toThrow('frozen column "number int65" is not "<name> <column type>"');
    expect(() => frozenColumns('number')).toThrow('frozen column "number"');
    expect(() => frozenColumns('frames json[]')).toThrow('frames json[]');
  });
});
