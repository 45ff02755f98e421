import { startReplayServer, type ReplayServer } from './replayServer.js';

export const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef';
export const hashOf = (n: number) => `0x${(n + 1).toString(16).padStart(64, '0')}`;
export const txHash = (n: number, i: number) => `0xffffffff${(n * 10 + i).toString(16).padStart(56, '0')}`;
export const hex = (n: number) => `0x${n.toString(16)}`;

export interface ChainOptions {
  /** eth_blockNumber's answer; blocks above it are null (default 1000). */
  head?: number;
  blockReceipts?: boolean;
  breakParentAt?: number;
  wrongReceiptHashAt?: number;
  /** eth_getTransactionReceipt answers null for this block's transactions (geth's unindexed history). */
  unindexedReceiptsAt?: number;
}

/** A deterministic chain served over real HTTP: two transactions per block, one Transfer log each. */
export function syntheticChain(options: ChainOptions = {}) {
  const block = (n: number, full: boolean) => ({
    number: hex(n),
    hash: hashOf(n),
    parentHash: n === options.breakParentAt ? `0x${'ee'.repeat(32)}` : n === 0 ? `0x${'00'.repeat(32)}` : hashOf(n - 1),
    timestamp: hex(1_700_000_000 + n * 12),
    transactions: [0, 1].map((i) => (full ? { hash: txHash(n, i), blockHash: hashOf(n), blockNumber: hex(n), transactionIndex: hex(i), from: '0xA', to: '0xB', value: '0x1', nonce: '0x0', gas: '0x5208', gasPrice: '0x1', input: '0x', type: '0x0' } : txHash(n, i))),
  });
  const receipt = (n: number, i: number) => ({
    transactionHash: txHash(n, i),
    transactionIndex: hex(i),
    blockHash: n === options.wrongReceiptHashAt ? `0x${'dd'.repeat(32)}` : hashOf(n),
    blockNumber: hex(n),
    cumulativeGasUsed: hex(21000 * (i + 1)),
    gasUsed: '0x5208',
    status: '0x1',
    logs: [{ logIndex: hex(i), transactionHash: txHash(n, i), transactionIndex: hex(i), blockHash: hashOf(n), blockNumber: hex(n), address: '0xtoken', data: `0x${'0'.repeat(63)}5`, topics: [TRANSFER, `0x${'0'.repeat(63)}1`, `0x${'0'.repeat(63)}2`] }],
  });
  const head = options.head ?? 1000;
  return (method: string, params: readonly unknown[]): unknown => {
    if (method === 'eth_blockNumber') return hex(head);
    if (method === 'eth_call') return tokenCall(params);
    if (typeof params[0] !== 'string') return undefined;
    const n = Number(BigInt(params[0]));
    if (n > head && method !== 'eth_getTransactionReceipt') return null;
    if (method === 'eth_getBlockByNumber') return block(n, params[1] === true);
    if (method === 'eth_getBlockReceipts' && options.blockReceipts) return [receipt(n, 1), receipt(n, 0)];
    if (method === 'eth_getTransactionReceipt') {
      const k = Number(BigInt(`0x${(params[0] as string).slice(10)}`));
      return Math.floor(k / 10) === options.unindexedReceiptsAt ? null : receipt(Math.floor(k / 10), k % 10);
    }
    return undefined;
  };
}

export async function withChain<T>(options: ChainOptions, run: (server: ReplayServer) => Promise<T>): Promise<T> {
  const server = await startReplayServer({ handle: syntheticChain(options) });
  try {
    return await run(server);
  } finally {
    await server.close();
  }
}


const word = (value: bigint | number) => BigInt(value).toString(16).padStart(64, '0');

/** A token answering symbol() "TKN" and decimals() 18; every other getter reverts (no fixture). */
function tokenCall(params: readonly unknown[]): unknown {
  const data = (params[0] as { data?: string }).data;
  if (data === '0x313ce567') return `0x${word(18)}`;
  if (data === '0x95d89b41') return `0x${word(32)}${word(3)}${Buffer.from('TKN').toString('hex').padEnd(64, '0')}`;
  return undefined;
}
