import { describe, expect, it } from 'vitest';
import { columnsOf } from '../../../src/chain/entities/registry.js';
import { TABLE_DEFS, WAREHOUSE_TABLES } from '../../../src/warehouse/tables.js';

// The loader COPYs lake files by column position: a table whose columns drift from its entity's
// file columns would load values into the wrong columns. This pins the two lists together.
describe('warehouse tables follow the exported entities', () => {
  it.each(WAREHOUSE_TABLES)('%s has the entity file columns, in order', (table) => {
    expect(TABLE_DEFS[table].columns.map((column) => column.name)).toEqual([...columnsOf(table)]);
  });
});
