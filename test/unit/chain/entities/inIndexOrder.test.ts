import { describe, expect, it } from 'vitest';
import { inIndexOrder } from '../../../../src/chain/entities/inIndexOrder.js';

describe('inIndexOrder', () => {
  const byIndex = (item: { i?: string }) => item.i;
  it('returns an ordered list as is, without copying it', () => {
    const items = [{ i: '0x0' }, { i: '0x1' }, { i: '0xa' }];
    expect(inIndexOrder(items, byIndex)).toBe(items);
  });
  it('sorts an out-of-order answer by numeric index (0xa after 0x9), stably, leaving the input alone', () => {
    const items = [{ i: '0xa', k: 'a' }, { i: '0x9', k: 'b' }, { i: '0x1', k: 'c' }, { i: '0x9', k: 'd' }];
    expect(inIndexOrder(items, byIndex).map((x) => x.k)).toEqual(['c', 'b', 'd', 'a']);
    expect(items.map((x) => x.k)).toEqual(['a', 'b', 'c', 'd']);
  });
  it('counts a missing or unreadable index as 0 and reads indexes beyond 13 hex digits', () => {
    const items = [{ i: '0x10000000000000', k: 'big' }, { k: 'none' }, { i: 'zz', k: 'bad' }];
    expect(inIndexOrder(items, byIndex).map((x) => x.k)).toEqual(['none', 'bad', 'big']);
  });
});
