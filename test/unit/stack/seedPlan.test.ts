import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress, id } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileContracts, type CompiledContracts } from '../../../src/stack/seed/compileContracts.js';
import { DEFAULT_SEED_OPTIONS, planSeed, plannedBlockCount, type SeedPlan } from '../../../src/stack/seed/seedPlan.js';

const accounts = Array.from({ length: 10 }, (_, i) => getAddress(id(`account-${i}`).slice(0, 42)));
let cacheDir: string;
let compiled: CompiledContracts;
let plan: SeedPlan;

beforeAll(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'ledgerflow-seed-'));
  compiled = await compileContracts(cacheDir);
  plan = planSeed(accounts, compiled, DEFAULT_SEED_OPTIONS);
  // solc (wasm) takes seconds on a busy 2-core machine.
}, 120_000);
afterAll(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

describe('planSeed', () => {
  it('gives the same plan for the same inputs and a different one for another seed', () => {
    expect(planSeed(accounts, compiled, DEFAULT_SEED_OPTIONS)).toEqual(plan);
    expect(planSeed(accounts, compiled, { ...DEFAULT_SEED_OPTIONS, seed: 2 }).blocks).not.toEqual(plan.blocks);
  });

  it('lays out complete UTC days of 100-300 blocks, then more than finalityDepth blocks into the next day', () => {
    expect(plan.days.map((d) => d.date)).toEqual(['2024-01-01', '2024-01-02', '2024-01-03']);
    expect(plan.blocks).toHaveLength(plannedBlockCount(DEFAULT_SEED_OPTIONS));
    expect(plan.blocks.map((b) => b.number)).toEqual(plan.blocks.map((_, i) => i + 1));
    for (const day of plan.days) {
      const blocks = plan.blocks.filter((b) => b.number >= day.firstBlock && b.number <= day.lastBlock);
      expect(blocks.length).toBeGreaterThanOrEqual(100);
      expect(blocks.length).toBeLessThanOrEqual(300);
      expect(new Set(blocks.map((b) => new Date(b.timestamp * 1000).toISOString().slice(0, 10)))).toEqual(new Set([day.date]));
    }
    expect(plan.genesisTimestamp).toBeLessThan(Date.parse('2024-01-01T00:00:00Z') / 1000);
    const tail = plan.blocks.length - plan.days.at(-1)!.lastBlock;
    expect(tail).toBeGreaterThan(DEFAULT_SEED_OPTIONS.finalityDepth);
    const timestamps = plan.blocks.map((b) => b.timestamp);
    expect(timestamps.every((t, i) => i === 0 || t > timestamps[i - 1]!)).toBe(true);
  });

  it('exercises every kind of activity on every day, with all three transaction types', () => {
    const kinds = [
      'eth legacy', 'eth eip1559', 'eth eip2930', 'contract creation by eoa', 'contract creation by contract',
      'contract creation by contract create2', 'internal eth transfers', 'erc20 transfer', 'erc20 transferFrom',
      'reverted erc20 transfer', 'out of gas erc20 transfer', 'erc721 mint', 'erc721 transfer', 'erc1155 transfer single',
      'erc1155 transfer batch', 'security issue', 'security issue by partition', 'security operator issue by partition',
      'security transfer by partition', 'security change partition', 'security redeem', 'security redeem by partition',
      'security operator redeem by partition', 'security controller transfer', 'security controller redemption',
      'security document updated', 'security document removed', 'reverted security transfer',
    ];
    for (const day of plan.days) {
      const txs = plan.blocks.filter((b) => b.number >= day.firstBlock && b.number <= day.lastBlock).flatMap((b) => b.txs);
      expect(kinds.filter((k) => !txs.some((t) => t.label === k)), day.date).toEqual([]);
      expect(new Set(txs.map((t) => t.type))).toEqual(new Set(['legacy', 'eip2930', 'eip1559']));
      expect(txs.filter((t) => !t.expectSuccess).length).toBeGreaterThanOrEqual(3);
    }
  });

  it('numbers each sender’s transactions 0, 1, 2, … in block order', () => {
    const bySender = new Map<string, number[]>();
    for (const tx of plan.blocks.flatMap((b) => b.txs)) bySender.set(tx.from, [...(bySender.get(tx.from) ?? []), tx.nonce]);
    for (const nonces of bySender.values()) expect(nonces).toEqual(nonces.map((_, i) => i));
  });

  it('makes a one-day chain a prefix of a longer one (so re-seeding a day is cheap to compare)', () => {
    const short = planSeed(accounts, compiled, { ...DEFAULT_SEED_OPTIONS, days: 1 });
    const dayOne = plan.days[0]!.lastBlock;
    expect(short.blocks.slice(0, dayOne)).toEqual(plan.blocks.slice(0, dayOne));
  });

  it('rejects intervals that do not divide a day and malformed dates', () => {
    expect(() => planSeed(accounts, compiled, { ...DEFAULT_SEED_OPTIONS, blockIntervalSeconds: 500 })).toThrow(/divide 86400/);
    expect(() => planSeed(accounts, compiled, { ...DEFAULT_SEED_OPTIONS, startDate: '2024-1-1' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('compileContracts', () => {
  it('compiles every seed contract and serves the second call from the cache', async () => {
    expect(Object.keys(compiled).sort()).toEqual(['SeedERC1155', 'SeedERC20', 'SeedERC721', 'SeedFactory', 'SeedSecurityToken']);
    for (const contract of Object.values(compiled)) expect(contract.bytecode).toMatch(/^0x[0-9a-f]{100,}$/);
    expect(await compileContracts(cacheDir)).toEqual(compiled);
  });
});
