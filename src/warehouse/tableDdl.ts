import { col, columnType } from './columnType.js';
import { qualified } from './sqlIdentifier.js';
import type { TableShape } from './tables.js';
import type { Dialect } from './types.js';

/** CREATE TABLE (and, for PostgreSQL, its range-scan indexes) for one entity table. */
export function tableDdl(def: TableShape, dialect: Dialect, schema: string): string[] {
  const table = qualified(schema, def.name);
  const columns = def.columns.map((c) => `  ${col(c.name)} ${columnType(c.type, dialect)}`).join(',\n');
  if (dialect === 'redshift') {
    const dist = def.distKey === 'ALL' ? 'DISTSTYLE ALL' : `DISTSTYLE KEY DISTKEY (${col(def.distKey)})`;
    const sort = `COMPOUND SORTKEY (${def.sortKey.map(col).join(', ')})`;
    return [`CREATE TABLE IF NOT EXISTS ${table} (\n${columns}\n)\n${dist}\n${sort}`];
  }
  const statements = [`CREATE TABLE IF NOT EXISTS ${table} (\n${columns}\n)`];
  statements.push(`CREATE INDEX IF NOT EXISTS ${def.name}_${def.blockColumn}_idx ON ${table} (${col(def.blockColumn)})`);
  if (def.timestampColumn) {
    statements.push(`CREATE INDEX IF NOT EXISTS ${def.name}_${def.timestampColumn}_idx ON ${table} (${col(def.timestampColumn)})`);
  }
  return statements;
}
