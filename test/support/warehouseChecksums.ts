import type pg from 'pg';

export interface TableChecksum {
  rows: number;
  /** md5 of every row's text, sorted, newline-joined: equal iff the tables hold the same rows. */
  md5: string;
}

/**
 * Columns that record when something happened rather than what was loaded: two identical runs
 * differ there by construction, so they are left out of the checksum (and only they are).
 */
export const WALL_CLOCK_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  loaded_days: ['loaded_at'],
  schema_migrations: ['applied_at'],
};

/**
 * A checksum of every base table of `schema` (entity tables, model tables, bookkeeping), so two
 * warehouses can be compared table by table without knowing their keys: rows are compared as
 * their full text, sorted by that text, which is a total order whatever the physical order or a
 * duplicate row.
 */
export async function warehouseChecksums(pool: pg.Pool, schema: string, skipColumns: Readonly<Record<string, readonly string[]>> = WALL_CLOCK_COLUMNS): Promise<Record<string, TableChecksum>> {
  const { rows: columns } = await pool.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE'
      ORDER BY c.table_name, c.ordinal_position`,
    [schema],
  );
  const byTable = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns) {
    if (skipColumns[table]?.includes(column)) continue;
    byTable.set(table, [...(byTable.get(table) ?? []), column]);
  }
  const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const out: Record<string, TableChecksum> = {};
  for (const [table, cols] of byTable) {
    const { rows } = await pool.query<{ rows: number; md5: string }>(
      `SELECT COUNT(*)::int AS rows, md5(COALESCE(string_agg(r, E'\\n' ORDER BY r), '')) AS md5
         FROM (SELECT ROW(${cols.map(quote).join(', ')})::text AS r FROM ${quote(schema)}.${quote(table)}) s`,
    );
    out[table] = rows[0] ?? { rows: 0, md5: '' };
  }
  return out;
}
