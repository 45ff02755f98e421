import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bloomMayContain } from '../../../../src/chain/decode/logsBloom.js';

const FIXTURES = '/work/shared/fixtures/ethereum-etl';
const read = <T>(file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { result: T }).result;

interface Log { address: string; topics: string[] }
interface Receipt { logsBloom: string; logs: Log[] }

// Mainnet block 483920 as recorded by ethereum-etl, and the receipts of its transactions.
const block = read<{ logsBloom: string }>(path.join(FIXTURES, 'test_export_blocks_job/block_with_logs/web3_response.eth_getBlockByNumber_0x76250_true.json'));
const receiptDir = path.join(FIXTURES, 'test_export_receipts_job/receipts_with_logs');
const receipts = readdirSync(receiptDir)
  .filter((f) => f.startsWith('web3_response.eth_getTransactionReceipt_'))
  .map((f) => read<Receipt>(path.join(receiptDir, f)));
const logs = receipts.flatMap((r) => r.logs);

describe('bloomMayContain, against mainnet block 483920', () => {
  it('finds every address and topic of the block logs in the block bloom and in their receipt bloom', () => {
    expect(logs.length).toBe(2);
    for (const receipt of receipts) {
      for (const log of receipt.logs) {
        for (const item of [log.address, ...log.topics]) {
          expect(bloomMayContain(block.logsBloom, item), item).toBe(true);
          expect(bloomMayContain(receipt.logsBloom, item.toUpperCase().replace('0X', '0x')), item).toBe(true);
        }
      }
    }
  });

  it('rules out addresses and topics the block never logged', () => {
    const absent = Array.from({ length: 50 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, '0')}`);
    const hits = absent.filter((a) => bloomMayContain(block.logsBloom, a));
    // A bloom of a handful of items has few of its 2048 bits set: strangers almost never match.
    expect(hits.length).toBeLessThan(3);
    expect(bloomMayContain(block.logsBloom, `0x${'ab'.repeat(32)}`)).toBe(false);
  });

  it('cannot say for a missing or malformed bloom', () => {
    expect(bloomMayContain(undefined, logs[0]?.address ?? '0x')).toBeUndefined();
    expect(bloomMayContain('0x1234', logs[0]?.address ?? '0x')).toBeUndefined();
    expect(bloomMayContain(`0x${'zz'.repeat(256)}`, logs[0]?.address ?? '0x')).toBeUndefined();
  });
});
