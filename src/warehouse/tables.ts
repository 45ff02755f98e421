import { isColumnType, type Column, type ColumnType } from '../chain/columnTypes.js';
import { ENTITIES, WAREHOUSE_ENTITIES, type WarehouseEntityName } from '../chain/entities/registry.js';

/** What an entity table's DDL depends on (tableDdl.ts): today's from the registry, or frozen in a migration. */
export interface TableShape {
  name: string;
  /** Columns in file order, which is also the CSV order of the lake files. */
  columns: ReadonlyArray<{ readonly name: string; readonly type: ColumnType }>;
  /** The block-number column a day's load deletes and re-inserts by. */
  blockColumn: string;
  /** Column for time-range scans, when the table has one. */
  timestampColumn?: string;
  /** Redshift distribution: a column, or ALL for small dimension tables. */
  distKey: string | 'ALL';
  sortKey: readonly string[];
}

/** An entity table as the warehouse sees it: derived from the entity's declaration (registry.ts). */
export interface TableDef extends TableShape {
  name: WarehouseTableName;
  columns: readonly Column[];
}

/** Entities with a warehouse table, which has the entity's name (geth_traces stays in the lake). */
export type WarehouseTableName = WarehouseEntityName;

export const WAREHOUSE_TABLES: readonly WarehouseTableName[] = WAREHOUSE_ENTITIES;

function tableDefOf(name: WarehouseTableName): TableDef {
  const entity = ENTITIES[name];
  if (!entity.warehouse) throw new Error(`entity ${name} declares no warehouse table`);
  return { name, columns: entity.columns, ...entity.warehouse };
}

export const TABLE_DEFS: Readonly<Record<WarehouseTableName, TableDef>> = Object.fromEntries(
  WAREHOUSE_TABLES.map((name) => [name, tableDefOf(name)]),
) as Record<WarehouseTableName, TableDef>;

export function isWarehouseTable(name: string): name is WarehouseTableName {
  return (WAREHOUSE_TABLES as readonly string[]).includes(name);
}

/**
 * Columns a migration froze, written `name type, name type, ...` with the types of
 * chain/columnTypes.ts: compact enough to copy a table as released into its migration.
 */
export function frozenColumns(text: string): TableShape['columns'] {
  return text.split(',').map((entry) => {
    const [name, type, extra] = entry.trim().split(/\s+/);
    if (!name || !type || extra !== undefined || !isColumnType(type)) throw new Error(`frozen column "${entry.trim()}" is not "<name> <column type>"`);
    return { name, type };
  });
}
