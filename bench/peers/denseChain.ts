import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../../src/stack/freePort.js';
import { ANVIL, call, postJson, waitForRpc } from '../anvilRpc.js';
import { PAIR_INIT, REVERTER_INIT, SWAP_SELECTOR, TOKEN_INIT, TRANSFER_SELECTOR, word } from './contracts.js';

const MNEMONIC = 'test test test test test test test test test test test junk';
/** 2024-01-01T00:00:00Z: the chain's range is that UTC day, so `lake export-day` exports it whole. */
export const GENESIS_TIMESTAMP = 1_704_067_200;
export const CHAIN_DAY = '2024-01-01';
const DAY_SECONDS = 86_400;
/**
 * Empty blocks mined after the range, in the next day: anvil's `finalized` tag trails the head by
 * 64 blocks, and a day is final only once the next day's first block is finalized.
 */
const TAIL_BLOCKS = 70;
const GWEI = 1_000_000_000n;
/** USER_HZ: 100 on Linux x86-64. */
const CLOCK_TICKS = 100;

export interface DenseChainOptions {
  /** Dense blocks after genesis and the deployment block. */
  denseBlocks: number;
  txPerBlock: number;
  /** Distinct senders; at least txPerBlock, so no sender appears twice in a block. */
  accounts: number;
}

export interface DenseChain {
  url: string;
  /** Blocks 0..rangeEnd are the exported range: genesis, deployments, then the dense blocks. */
  rangeEnd: number;
  lastHash: string;
  seedSeconds: number;
  /** CPU seconds (user + system) anvil has used so far, from /proc: what serving a tool cost the node. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

interface RpcReply<T> {
  result?: T;
  error?: { message: string };
}

async function sendBatch(url: string, txs: object[]): Promise<void> {
  const replies = (await postJson(url, txs.map((tx, id) => ({ jsonrpc: '2.0', id, method: 'eth_sendTransaction', params: [tx] })))) as Array<RpcReply<string>>;
  const failed = replies.find((r) => r.error);
  if (failed) throw new Error(`seeding anvil failed: ${failed.error?.message}`);
}

const hex = (n: bigint | number) => `0x${n.toString(16)}`;

/**
 * Block k's timestamp: the range's blocks spread evenly over one UTC day (~86 s apart for 1000
 * blocks), the first block of the tail exactly at the next midnight. Explicit timestamps are also
 * what makes the hashes repeat: anvil would otherwise stamp blocks with the wall clock.
 */
function timestampOf(block: number, rangeBlocks: number): number {
  if (block < rangeBlocks) return GENESIS_TIMESTAMP + Math.floor((block * DAY_SECONDS) / rangeBlocks);
  return GENESIS_TIMESTAMP + DAY_SECONDS + (block - rangeBlocks) * 12;
}

/**
 * Starts anvil on a free loopback port and mines a deterministic, mainnet-dense chain: genesis, a
 * block deploying 4 tokens, 2 pairs and a reverter, `denseBlocks` blocks of `txPerBlock`
 * transactions, then an empty tail in the next UTC day. anvil signs (eth_sendTransaction); one
 * HTTP batch per block, then evm_mine with that block's timestamp.
 *
 * Deterministic on purpose: fixed mnemonic, genesis time and block times; every sender at most once
 * per block with an explicit nonce; and in each block a strictly decreasing fee per transaction
 * index, so anvil's fee ordering puts them in index order even though it handles a batch's
 * elements concurrently (arrival order would vary from run to run).
 */
export async function startDenseChain(options: DenseChainOptions): Promise<DenseChain> {
  const { denseBlocks, txPerBlock, accounts: accountCount } = options;
  if (txPerBlock > accountCount) throw new Error(`--accounts (${accountCount}) must be at least the transactions per block (${txPerBlock})`);
  const rangeBlocks = denseBlocks + 2;
  const port = await freePort();
  const args = [
    '--host', '127.0.0.1', '--port', String(port),
    '--mnemonic', MNEMONIC, '--accounts', String(accountCount), '--balance', '1000000',
    '--timestamp', String(GENESIS_TIMESTAMP), '--no-mining', '--order', 'fees',
    '--gas-limit', '30000000',
    // Keep every block's state in memory only for as long as needed: the exporters read blocks
    // and receipts, never old state; without it anvil's memory grows with every block.
    '--prune-history', '--silent',
  ];
  const child: ChildProcess = spawn(ANVIL, args, { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  try {
    await waitForRpc(url);
    const started = performance.now();
    const accounts = await call<string[]>(url, 'eth_accounts', []);
    const nonces = accounts.map(() => 0);
    const deployer = accounts[0] as string;
    const inits = [TOKEN_INIT, TOKEN_INIT, TOKEN_INIT, TOKEN_INIT, PAIR_INIT, PAIR_INIT, REVERTER_INIT];
    await sendBatch(url, inits.map((data, i) => ({ from: deployer, nonce: hex(i), data, gas: hex(200_000), gasPrice: hex(10n * GWEI - BigInt(i)) })));
    nonces[0] = inits.length;
    await call(url, 'evm_mine', [timestampOf(1, rangeBlocks)]);
    const contracts: string[] = [];
    for (let i = 0; i < inits.length; i++) {
      const receipt = await call<{ contractAddress: string; status: string } | null>(url, 'eth_getTransactionReceipt', [await txHashOf(url, 1, i)]);
      if (!receipt || receipt.status !== '0x1') throw new Error(`deployment ${i} did not succeed`);
      contracts.push(receipt.contractAddress);
    }
    const tokens = contracts.slice(0, 4);
    const pairs = contracts.slice(4, 6);
    const reverter = contracts[6] as string;

    for (let k = 2; k < rangeBlocks; k++) {
      const txs: object[] = [];
      for (let t = 0; t < txPerBlock; t++) {
        const sender = (k * txPerBlock + t) % accountCount;
        const from = accounts[sender] as string;
        const to = accounts[(sender + 1 + (k % 7)) % accountCount] as string;
        const nonce = nonces[sender] as number;
        nonces[sender] = nonce + 1;
        const amount = BigInt(k) * 1_000_003n + BigInt(t) * 7n + 1n;
        // Fees fall with t, so anvil orders the block by index; a third of the transactions are type 0.
        const fee = 3n * GWEI + BigInt(txPerBlock - t) * 1000n;
        const fees = t % 3 === 0 ? { gasPrice: hex(fee) } : { maxFeePerGas: hex(fee), maxPriorityFeePerGas: hex(fee - 2n * GWEI) };
        const base = { from, nonce: hex(nonce), ...fees };
        // The per-block mix, by slot: 1/4 ETH transfers, 2/5 token transfers, 1/5 swaps, the rest reverts.
        const slot = (t * 20) / txPerBlock;
        if (slot < 5) txs.push({ ...base, to, value: hex(amount), gas: hex(21_000) });
        else if (slot < 13) txs.push({ ...base, to: tokens[t % tokens.length], data: `0x${TRANSFER_SELECTOR}${word(to)}${word(amount)}`, gas: hex(60_000) });
        else if (slot < 17) {
          const data = `0x${SWAP_SELECTOR}${word(amount)}${word(amount / 3n)}${word(to)}${word(amount * 1000n)}${word(amount * 997n)}`;
          txs.push({ ...base, to: pairs[t % pairs.length], data, gas: hex(80_000) });
        } else txs.push({ ...base, to: reverter, data: `0x${word(amount)}`, gas: hex(50_000) });
      }
      await sendBatch(url, txs);
      await call(url, 'evm_mine', [timestampOf(k, rangeBlocks)]);
    }
    for (let k = rangeBlocks; k < rangeBlocks + TAIL_BLOCKS; k++) await call(url, 'evm_mine', [timestampOf(k, rangeBlocks)]);
    const seedSeconds = (performance.now() - started) / 1000;
    const last = await call<{ hash: string; transactions: string[] }>(url, 'eth_getBlockByNumber', [hex(rangeBlocks - 1), false]);
    if (last.transactions.length !== txPerBlock) throw new Error(`block ${rangeBlocks - 1} has ${last.transactions.length} transactions, expected ${txPerBlock}`);
    return { url, rangeEnd: rangeBlocks - 1, lastHash: last.hash, seedSeconds, cpuSeconds: () => processCpuSeconds(child.pid), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function processCpuSeconds(pid: number | undefined): number {
  // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) in clock ticks, after the ")" that ends the name.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()?.trim().split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

async function txHashOf(url: string, block: number, index: number): Promise<string> {
  const b = await call<{ transactions: string[] }>(url, 'eth_getBlockByNumber', [hex(block), false]);
  const hash = b.transactions[index];
  if (!hash) throw new Error(`block ${block} has no transaction ${index}`);
  return hash;
}
