import { describe, expect, it } from 'vitest';
import { syntheticHash, tiledChain } from '../../../bench/export/tiledChain.js';

// Three recorded blocks in anvil's compact key order, each with one transaction, receipt and log.
const hash = (m: number) => `0x${String(m + 1).repeat(64)}`;
const zero = `0x${'0'.repeat(64)}`;
const recordedAnswers = new Map<string, string>();
for (let m = 0; m < 3; m++) {
  const q = `0x${m.toString(16)}`;
  const parent = m === 0 ? zero : hash(m - 1);
  const tx = { hash: `0x${'a'.repeat(63)}${m}`, blockHash: hash(m), blockNumber: q, transactionIndex: '0x0' };
  recordedAnswers.set(`eth_getBlockByNumber:${JSON.stringify([q, true])}`, JSON.stringify({ hash: hash(m), parentHash: parent, mixHash: zero, number: q, transactions: [tx] }));
  const log = { blockHash: hash(m), blockNumber: q, logIndex: '0x0', transactionHash: tx.hash };
  recordedAnswers.set(`eth_getBlockReceipts:${JSON.stringify([q])}`, JSON.stringify([{ blockHash: hash(m), blockNumber: q, transactionHash: tx.hash, logs: [log] }]));
}
const chain = tiledChain(3, (method, params) => recordedAnswers.get(`${method}:${JSON.stringify(params)}`));

interface Block { hash: string; parentHash: string; mixHash: string; number: string; transactions: Array<{ blockHash: string; blockNumber: string }> }
type Receipts = Array<{ blockHash: string; blockNumber: string; logs: Array<{ blockHash: string; blockNumber: string }> }>;

const block = (n: number) => JSON.parse(chain.answer('eth_getBlockByNumber', [`0x${n.toString(16)}`, true]) as string) as Block;
const receipts = (n: number) => JSON.parse(chain.answer('eth_getBlockReceipts', [`0x${n.toString(16)}`]) as string) as Receipts;

describe('tiledChain (export benchmark replay)', () => {
  it('leaves recorded blocks to the recording', () => {
    expect(chain.answer('eth_getBlockByNumber', ['0x2', true])).toBeUndefined();
    expect(chain.answer('eth_chainId', [])).toBeUndefined();
  });

  it('gives every copied block its own number and hash, chained to the block before', () => {
    let previous = hash(2);
    for (let n = 3; n < 10; n++) {
      const b = block(n);
      expect(b.number).toBe(`0x${n.toString(16)}`);
      expect(b.hash).toBe(syntheticHash(n));
      expect(b.parentHash).toBe(previous);
      previous = b.hash;
    }
  });

  it('rewrites the block hash and number of transactions, receipts and logs, and nothing else', () => {
    const b = block(7);
    expect(b.transactions[0]).toMatchObject({ blockHash: syntheticHash(7), blockNumber: '0x7' });
    expect(b.mixHash).toBe(zero);
    const [receipt] = receipts(7);
    expect(receipt).toMatchObject({ blockHash: syntheticHash(7), blockNumber: '0x7' });
    expect(receipt?.logs[0]).toMatchObject({ blockHash: syntheticHash(7), blockNumber: '0x7' });
  });

  it('links the first block of each copy to the last block of the one before', () => {
    expect(block(6).parentHash).toBe(syntheticHash(5));
    expect(block(3).parentHash).toBe(hash(2));
  });
});
