import type { CompiledContracts } from './compileContracts.js';
import { mulberry32, randomInt } from './mulberry32.js';
import { seedOps, type SeedContracts, type SeedOp, type TxType } from './seedOps.js';

export interface SeedOptions {
  /** PRNG seed: same seed, same chain. */
  seed: number;
  /** Complete UTC days to generate, starting at startDate. */
  days: number;
  /** First generated day, YYYY-MM-DD (UTC midnight). */
  startDate: string;
  /** Seconds between blocks; 86400 must be a multiple. */
  blockIntervalSeconds: number;
  /** Blocks mined after the last day so every generated day is final. */
  finalityDepth: number;
}

export const DEFAULT_SEED_OPTIONS: SeedOptions = {
  seed: 1,
  days: 3,
  startDate: '2024-01-01',
  blockIntervalSeconds: 480,
  finalityDepth: 64,
};

export type { TxType } from './seedOps.js';

/** A SeedOp with its nonce, transaction type and priority fee fixed. */
export interface PlannedTx extends Omit<SeedOp, 'type'> {
  nonce: number;
  type: TxType;
  priorityFee: bigint;
}

export interface PlannedBlock {
  number: number;
  timestamp: number;
  txs: PlannedTx[];
}

export interface SeedPlan {
  genesisTimestamp: number;
  blocks: PlannedBlock[];
  /** Complete generated days with their inclusive block ranges. */
  days: { date: string; firstBlock: number; lastBlock: number }[];
  contracts: SeedContracts;
}

const GWEI = 1_000_000_000n;
export const LEGACY_GAS_PRICE = 2n * GWEI;
export const MAX_FEE_PER_GAS = 3n * GWEI;

/**
 * Plans the whole seeded chain as data: which transaction goes into which block at which
 * timestamp. Pure, so it is unit-tested and the same inputs always give the same chain. Day `d`
 * depends only on the seed and days before it, so a shorter chain is a prefix of a longer one.
 */
export function planSeed(accounts: readonly string[], compiled: CompiledContracts, options: SeedOptions): SeedPlan {
  if (86_400 % options.blockIntervalSeconds !== 0) throw new RangeError(`blockIntervalSeconds must divide 86400, got ${options.blockIntervalSeconds}`);
  const { contracts, setup, daily, filler } = seedOps(accounts, compiled);
  const nonces = new Map<string, number>();
  const nextNonce = (from: string): number => {
    const n = nonces.get(from) ?? 0;
    nonces.set(from, n + 1);
    return n;
  };
  const blocksPerDay = 86_400 / options.blockIntervalSeconds;
  const genesisTimestamp = genesisTimestampOf(options);
  const firstDayStart = genesisTimestamp + options.blockIntervalSeconds;

  const toTx = (op: SeedOp, rng: () => number): PlannedTx => {
    const type: TxType = op.type ?? (['legacy', 'eip2930', 'eip1559', 'eip1559'] as const)[randomInt(rng, 0, 3)]!;
    // An EIP-2930 access list costs 2400 gas per address: raise a tight limit to keep the op valid.
    const gas = type === 'eip2930' && op.gas < 30_000 ? 30_000 : op.gas;
    return { ...op, gas, type, nonce: nextNonce(op.from), priorityFee: type === 'eip1559' ? BigInt(randomInt(rng, 1, 1_000_000_000)) : 0n };
  };

  const blocks: PlannedBlock[] = [];
  const days: SeedPlan['days'] = [];
  let number = 1;
  for (let day = 0; day < options.days; day += 1) {
    const rng = mulberry32((options.seed * 1_000_003 + day) >>> 0);
    const required = daily(day);
    const fillers = Array.from({ length: randomInt(rng, 20, 60) }, () => filler(rng));
    // Setup (deployments, token distribution) first; then the day's ops interleaved at random
    // with fillers, keeping the required ops in order since later ones depend on earlier ones.
    const ops: SeedOp[] = day === 0 ? [...setup] : [];
    while (required.length > 0 || fillers.length > 0) {
      const takeRequired = fillers.length === 0 || (required.length > 0 && rng() < 0.5);
      ops.push((takeRequired ? required.shift() : fillers.shift())!);
    }
    const dayStart = firstDayStart + day * 86_400;
    const firstBlock = number;
    for (let i = 0; i < blocksPerDay; i += 1) {
      const last = i === blocksPerDay - 1;
      const count = last ? ops.length : rng() < 0.55 ? 0 : randomInt(rng, 1, 4);
      const txs = ops.splice(0, count).map((op) => toTx(op, rng));
      blocks.push({ number, timestamp: dayStart + i * options.blockIntervalSeconds, txs });
      number += 1;
    }
    days.push({ date: new Date(dayStart * 1000).toISOString().slice(0, 10), firstBlock, lastBlock: number - 1 });
  }
  // Empty blocks into the next day, past the finality depth, so the last generated day is final.
  const tailStart = firstDayStart + options.days * 86_400;
  for (let i = 0; i <= options.finalityDepth + 8; i += 1) {
    blocks.push({ number, timestamp: tailStart + i * options.blockIntervalSeconds, txs: [] });
    number += 1;
  }
  return { genesisTimestamp, blocks, days, contracts };
}

/** Genesis sits one block interval before the first day, so the first day starts with block 1. */
export function genesisTimestampOf(options: SeedOptions): number {
  const firstDayStart = Date.parse(`${options.startDate}T00:00:00Z`) / 1000;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate) || !Number.isFinite(firstDayStart)) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got ${options.startDate}`);
  }
  return firstDayStart - options.blockIntervalSeconds;
}

/** Blocks the plan mines after genesis. */
export function plannedBlockCount(options: SeedOptions): number {
  return options.days * (86_400 / options.blockIntervalSeconds) + options.finalityDepth + 9;
}
