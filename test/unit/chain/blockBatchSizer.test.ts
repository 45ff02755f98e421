import { describe, expect, it } from 'vitest';
import { BlockBatchSizer } from '../../../src/chain/blockBatchSizer.js';

describe('BlockBatchSizer', () => {
  it('starts small, then fits the batches alive at once into the budget', () => {
    const sizer = new BlockBatchSizer(3_000_000, 50, 3);
    expect(sizer.next()).toBe(10);
    sizer.observe(10, 1_000_000); // 100,000 chars a block: 1,000,000 per batch fits 10 blocks
    expect(sizer.next()).toBe(10);
    sizer.observe(10, 10_000); // sparse blocks: up to the configured batch size, never past it
    for (let i = 0; i < 40; i++) sizer.observe(50, 50_000);
    expect(sizer.next()).toBe(50);
  });

  it('shrinks at once on denser blocks and grows back over several batches', () => {
    const sizer = new BlockBatchSizer(3_000_000, 50, 3);
    sizer.observe(50, 50_000);
    expect(sizer.next()).toBe(50);
    sizer.observe(50, 50 * 200_000);
    expect(sizer.next()).toBe(5);
    sizer.observe(5, 5 * 1_000);
    const afterOne = sizer.next();
    expect(afterOne).toBeGreaterThan(5);
    expect(afterOne).toBeLessThan(50);
  });

  it('never asks for less than one block, however large one block is', () => {
    const sizer = new BlockBatchSizer(1_000, 50, 3);
    sizer.observe(1, 10_000_000);
    expect(sizer.next()).toBe(1);
    expect(new BlockBatchSizer(1_000, 4, 3).next()).toBe(4);
  });
});
