import { logToRow } from '../../src/chain/entities/logs.js';
import type { RpcLog, RpcTransaction } from '../../src/chain/entities/rpcShapes.js';
import { transactionToRow } from '../../src/chain/entities/transactions.js';
import type { Row } from '../../src/chain/rows.js';

/**
 * Rows shaped like a 2024 mainnet block, made without a node: about 150 transactions and 250
 * logs a block, senders and contracts drawn from skewed pools (a few are in most blocks), values
 * mostly zero or small, calldata a selector and a few words, 1-4 topics a log. The node answers
 * go through the exporter's own row functions, so the cells are typed exactly as an export's.
 * A fixed seed makes every run produce the same rows.
 */
export interface MainnetShape {
  blocks: number;
  txPerBlock?: number;
  logsPerTx?: number;
  seed?: number;
}

export function* mainnetTransactions(shape: MainnetShape): Generator<Row> {
  const random = prng(shape.seed ?? 17);
  const pools = addressPools(random);
  for (let b = 0; b < shape.blocks; b++) {
    const block = blockOf(b, random);
    const count = shape.txPerBlock ?? 150;
    for (let i = 0; i < count; i++) yield transactionToRow(transactionOf(block, i, random, pools), block.timestamp);
  }
}

export function* mainnetLogs(shape: MainnetShape): Generator<Row> {
  const random = prng((shape.seed ?? 17) + 1);
  const pools = addressPools(random);
  for (let b = 0; b < shape.blocks; b++) {
    const block = blockOf(b, random);
    const txs = shape.txPerBlock ?? 150;
    const logsPerBlock = Math.round(txs * (shape.logsPerTx ?? 1.7));
    for (let i = 0; i < logsPerBlock; i++) yield logToRow(logOf(block, i, Math.floor((i * txs) / logsPerBlock), random, pools));
  }
}

interface BlockStub {
  number: number;
  hash: string;
  timestamp: number;
  baseFee: bigint;
}

interface Pools {
  senders: string[];
  contracts: string[];
  topics0: string[];
}

const FIRST_BLOCK = 19_000_000;
const FIRST_TIMESTAMP = 1_704_067_199;
const GWEI = 1_000_000_000n;

function blockOf(offset: number, random: () => number): BlockStub {
  return { number: FIRST_BLOCK + offset, hash: word(random), timestamp: FIRST_TIMESTAMP + offset * 12, baseFee: 8n * GWEI + BigInt(Math.floor(random() * 30e9)) };
}

function transactionOf(block: BlockStub, index: number, random: () => number, pools: Pools): RpcTransaction {
  const tip = BigInt(Math.floor(random() * 3e9));
  const call = random() < 0.75;
  const value = random() < 0.6 ? 0n : BigInt(Math.floor(random() * 1e6)) * 10n ** 12n;
  return {
    hash: word(random),
    nonce: hex(Math.floor(random() ** 3 * 500_000)),
    blockHash: block.hash,
    blockNumber: hex(block.number),
    transactionIndex: hex(index),
    from: skewed(pools.senders, random),
    to: random() < 0.01 ? null : call ? skewed(pools.contracts, random) : skewed(pools.senders, random),
    value: hex(value),
    gas: hex(21_000 + Math.floor(random() * 300_000)),
    gasPrice: hex(block.baseFee + tip),
    input: call ? `0x${word(random).slice(2, 10)}${Array.from({ length: 1 + Math.floor(random() * 4) }, () => word(random).slice(2)).join('')}` : '0x',
    maxFeePerGas: hex(block.baseFee * 2n + tip),
    maxPriorityFeePerGas: hex(tip),
    type: '0x2',
  };
}

function logOf(block: BlockStub, index: number, txIndex: number, random: () => number, pools: Pools): RpcLog {
  const topicCount = 1 + Math.floor(random() * 4);
  const topics = [skewed(pools.topics0, random)];
  for (let t = 1; t < topicCount; t++) topics.push(random() < 0.7 ? `0x${'0'.repeat(24)}${skewed(pools.senders, random).slice(2)}` : word(random));
  return {
    logIndex: hex(index),
    transactionHash: word(random),
    transactionIndex: hex(txIndex),
    blockHash: block.hash,
    blockNumber: hex(block.number),
    address: skewed(pools.contracts, random),
    data: `0x${Array.from({ length: Math.floor(random() * 4) }, () => word(random).slice(2)).join('')}`,
    topics,
  };
}

function addressPools(random: () => number): Pools {
  const address = () => `0x${word(random).slice(26)}`;
  return {
    senders: Array.from({ length: 20_000 }, address),
    contracts: Array.from({ length: 2_000 }, address),
    topics0: Array.from({ length: 200 }, () => word(random)),
  };
}

/** Mostly the first few entries of the pool, as a few routers and tokens dominate mainnet. */
function skewed(pool: readonly string[], random: () => number): string {
  return pool[Math.floor(random() ** 4 * pool.length)] as string;
}

function word(random: () => number): string {
  let text = '0x';
  for (let i = 0; i < 8; i++) text += Math.floor(random() * 2 ** 32).toString(16).padStart(8, '0');
  return text;
}

function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}

/** mulberry32: a small seeded generator, so the rows never depend on Math.random. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
