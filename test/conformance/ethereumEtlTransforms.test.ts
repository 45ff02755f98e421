import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractToRow } from '../../src/chain/entities/contracts.js';
import { fetchTokenMetadata } from '../../src/chain/entities/fetchTokenMetadata.js';
import { columnsOf } from '../../src/chain/entities/registry.js';
import { tokenTransferRow } from '../../src/chain/entities/tokenTransfers.js';
import { createRpcPool } from '../../src/chain/rpc/createRpcPool.js';
import type { Row } from '../../src/lake/format/types.js';
import { csvFormat } from '../../src/lake/format/csvFormat.js';
import { jsonFormat } from '../../src/lake/format/jsonFormat.js';
import { startReplayServer } from '../support/replayServer.js';
import { parseCsv } from './support/parseCsv.js';

const FIXTURES = '/work/shared/fixtures/ethereum-etl';
const fx = (...parts: string[]) => path.join(FIXTURES, ...parts);
const lines = (text: string) => text.replace(/\r\n/g, '\n').split('\n').filter((l) => l.length > 0);

// Ledgerflow exports by block range only; these ethereum-etl jobs take addresses or files as
// input, so their fixtures run through the same mappers and formats the range export uses.
describe('ethereum-etl jobs without a block range', () => {
  it('export_contracts erc721_contract: byte-exact JSON line from the recorded eth_getCode', () => {
    const dir = fx('test_export_contracts_job/erc721_contract');
    const code = (JSON.parse(readFileSync(path.join(dir, 'web3_response.eth_getCode_0x06012c8cf97bead5deae237070f9587f8e7a266d_latest.json'), 'utf8')) as { result: string }).result;
    const row = contractToRow('0x06012c8cf97bead5deae237070f9587f8e7a266d', code, null);
    expect(row.function_sighashes).toHaveLength(60);
    expect(row.function_sighashes).toContain('0xffffffff');
    expect(jsonFormat.row(columnsOf('contracts'), row as unknown as Row)).toBe(`${readFileSync(path.join(dir, 'expected_contracts.json'), 'utf8').trimEnd()}\n`);
  });

  for (const [folder, address] of [
    ['token_with_invalid_data', '0xf763be8b3263c268e9789abfb3934564a7b80054'],
    ['token_with_alternative_return_type', '0x86fa049857e0209aa7d9e616f7eb3b3b78ecfdb0'],
  ] as const) {
    it(`export_tokens ${folder}: eth_call fallbacks over a real RPC pool`, async () => {
      const dir = fx('test_export_tokens_job', folder);
      const server = await startReplayServer({ dirs: [dir] });
      const rpc = createRpcPool({ urls: [server.url], maxRetries: 0 });
      try {
        const meta = await fetchTokenMetadata(rpc, address, 'latest');
        const row: Row = { address: meta.address, symbol: meta.symbol, name: meta.name, decimals: meta.decimals, total_supply: meta.totalSupply, block_number: null };
        const expected = lines(readFileSync(path.join(dir, 'expected_tokens.csv'), 'utf8'));
        expect(csvFormat.header(columnsOf('tokens'))).toBe(`${expected[0]}\n`);
        expect(csvFormat.row(columnsOf('tokens'), row)).toBe(`${expected[1]}\n`);
      } finally {
        await rpc.close();
        await server.close();
      }
    });
  }

  it('extract_token_transfers logs: Transfer logs out, the other event dropped', () => {
    const dir = fx('test_extract_token_transfers_job/logs');
    const [header, ...records] = parseCsv(readFileSync(path.join(dir, 'logs.csv'), 'utf8'));
    const rows: string[] = [];
    for (const cells of records) {
      const log = Object.fromEntries((header ?? []).map((h, i) => [h, cells[i] ?? '']));
      const row = tokenTransferRow({
        address: log.address ?? null,
        topics: (log.topics ?? '').trim() === '' ? [] : (log.topics ?? '').trim().split(','),
        data: log.data ?? null,
        transactionHash: log.transaction_hash ?? null,
        logIndex: `0x${Number(log.log_index).toString(16)}`,
        blockNumber: `0x${Number(log.block_number).toString(16)}`,
      });
      if (row) rows.push(csvFormat.row(columnsOf('token_transfers'), row).trimEnd());
    }
    const expected = lines(readFileSync(path.join(dir, 'expected_token_transfers.csv'), 'utf8'));
    expect(csvFormat.header(columnsOf('token_transfers')).trimEnd()).toBe(expected[0]);
    expect(rows.sort()).toEqual(expected.slice(1).sort());
  });

  it('token transfer extractor inline case: mixed-case token address, value 2^256-1000', () => {
    const row = tokenTransferRow({
      address: '0x25c6413359059694A7FCa8e599Ae39Ce1C944Da2',
      topics: [
        '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef',
        '0x000000000000000000000000e9eeaec75883f0e389a78e2260bfac1776df2f1d',
        '0x0000000000000000000000000000000000000000000000000000000000000000',
      ],
      data: '0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffc18',
      transactionHash: '0xd62a74c7b04e8e0539398f6ba6a5eb11ad8aa862e77f0af718f0fad19b0b0480',
      logIndex: '0x0',
      blockNumber: '0x5a2b5f',
    });
    expect(row).toEqual({
      token_address: '0x25c6413359059694a7fca8e599ae39ce1c944da2',
      from_address: '0xe9eeaec75883f0e389a78e2260bfac1776df2f1d',
      to_address: '0x0000000000000000000000000000000000000000',
      value: 2n ** 256n - 1000n,
      transaction_hash: '0xd62a74c7b04e8e0539398f6ba6a5eb11ad8aa862e77f0af718f0fad19b0b0480',
      log_index: 0,
      block_number: 5909343,
    });
    expect(csvFormat.row(columnsOf('token_transfers'), row as Row)).toContain(',115792089237316195423570985008687907853269984665640564039457584007913129638936,');
  });
});
