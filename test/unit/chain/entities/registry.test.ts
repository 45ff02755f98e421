import { describe, expect, it } from 'vitest';
import { listElementType } from '../../../../src/chain/columnTypes.js';
import { DEFAULT_DAILY_ENTITIES, ENTITIES, ENTITY_NAMES, LOG_ENTITIES, UNTRACED_ENTITIES, WAREHOUSE_ENTITIES } from '../../../../src/chain/entities/registry.js';

describe('lists derived from the entity registry', () => {
  it('keeps the released order first: manifests list entities in registry order', () => {
    expect(ENTITY_NAMES.slice(0, 11)).toEqual([
      'blocks', 'transactions', 'receipts', 'logs', 'token_transfers', 'erc1155_transfers', 'security_token_events', 'contracts', 'tokens', 'traces', 'geth_traces',
    ]);
  });
  it('gives the defaults the CLI and daily runs had before the registry', () => {
    expect(DEFAULT_DAILY_ENTITIES.slice(0, 10)).toEqual(ENTITY_NAMES.slice(0, 10));
    expect(DEFAULT_DAILY_ENTITIES).not.toContain('geth_traces');
    expect(UNTRACED_ENTITIES).toEqual(['blocks', 'transactions', 'receipts', 'logs', 'token_transfers', 'erc1155_transfers', 'security_token_events']);
    expect(LOG_ENTITIES).toEqual(['logs', 'token_transfers', 'erc1155_transfers', 'security_token_events']);
    expect(WAREHOUSE_ENTITIES).toEqual(ENTITY_NAMES.filter((name) => name !== 'geth_traces'));
  });
});

describe.each([...ENTITY_NAMES])('entity %s', (name) => {
  const entity = ENTITIES[name];
  const column = (columnName: string) => entity.columns.find((c) => c.name === columnName);
  it('names its warehouse keys among its columns, with the types they need', () => {
    const table = entity.warehouse;
    if (!table) return expect(name).toBe('geth_traces');
    expect(column(table.blockColumn)?.type).toBe('int64');
    expect(column(table.blockColumn)?.nullable).toBe(false);
    if (table.timestampColumn) expect(column(table.timestampColumn)?.type).toBe('timestamp');
    if (table.distKey !== 'ALL') expect(column(table.distKey)).toBeDefined();
    for (const key of table.sortKey) expect(column(key), key).toBeDefined();
  });
  it('declares list columns of a scalar element type and json only whole', () => {
    for (const c of entity.columns) if (listElementType(c.type) !== undefined) expect(listElementType(c.type)).not.toBe('json');
    expect(entity.columns.length).toBeGreaterThan(0);
  });
});
