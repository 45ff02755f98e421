import { describe, expect, it } from 'vitest';
import { blocks } from '../../../../src/chain/entities/blocks.js';
import { contracts } from '../../../../src/chain/entities/contracts.js';
import { erc1155Transfers } from '../../../../src/chain/entities/erc1155Transfers.js';
import { gethTraces } from '../../../../src/chain/entities/gethTraces.js';
import { receiptToRow } from '../../../../src/chain/entities/receipts.js';
import { columnsOf, ENTITIES } from '../../../../src/chain/entities/registry.js';
import type { BlockBundle } from '../../../../src/chain/entities/rpcShapes.js';
import { securityTokenEvents } from '../../../../src/chain/entities/securityTokenEvents.js';
import { tokens } from '../../../../src/chain/entities/tokens.js';
import { traces } from '../../../../src/chain/entities/traces.js';
import { transactions } from '../../../../src/chain/entities/transactions.js';
import { ENTITY_NAMES } from '../../../../src/chain/types.js';
import { PythonFloat } from '../../../../src/lake/format/types.js';
import { csvFormat } from '../../../../src/lake/format/csvFormat.js';
import { jsonFormat } from '../../../../src/lake/format/jsonFormat.js';

const header = { number: '0x10', hash: '0xh', parentHash: '0xp', timestamp: '0x64' };
const bundle = (extra: Partial<BlockBundle> = {}): BlockBundle => ({ number: 16, block: { ...header }, ...extra });

describe('entity registry', () => {
  it('rows of an entity with a heavy decoder wait for prepare(), with an error that says so', () => {
    expect(() => securityTokenEvents.toRows(bundle({ receipts: [] }))).toThrow('entity security_token_events: await its prepare() before toRows');
  });
  it('lists every entity name once, under its own name, with unique columns', () => {
    expect(Object.keys(ENTITIES).sort()).toEqual([...ENTITY_NAMES].sort());
    for (const [name, entity] of Object.entries(ENTITIES)) {
      expect(entity.name).toBe(name);
      expect(new Set(columnsOf(entity.name)).size).toBe(entity.columns.length);
    }
  });
});

describe('blocks', () => {
  it('a pre-London block ends in transaction_count then empty base fee, withdrawals root and withdrawals (2.4.1 adds two blob cells)', () => {
    const [row] = blocks.toRows(bundle({ block: { ...header, transactions: ['0x1', '0x2', '0x3', '0x4'] } }));
    expect(csvFormat.row(columnsOf('blocks'), row!)).toMatch(/,100,4,,,,,\n$/);
  });
  it('keeps withdrawal addresses verbatim and amounts exact', () => {
    const [row] = blocks.toRows(bundle({ block: { ...header, withdrawals: [{ index: '0x21bbc0', validatorIndex: '0x83e46', address: '0xAbC', amount: '0xe4e1c0' }] } }));
    expect(jsonFormat.row(['withdrawals'], row!)).toBe('{"withdrawals": [{"index": 2210752, "validator_index": 540230, "address": "0xAbC", "amount": 15000000}]}\n');
  });
});

describe('transactions', () => {
  it('maps blob fields and lower-cases addresses; hashes-only blocks give no rows', () => {
    const tx = { hash: '0xT', blockHash: '0xh', blockNumber: '0x10', transactionIndex: '0x0', from: '0xABC', to: null, type: '0x3', maxFeePerBlobGas: '0x2', blobVersionedHashes: ['0x01', '0x02'] };
    const [row] = transactions.toRows(bundle({ block: { ...header, transactions: [tx] } }));
    expect(row).toMatchObject({ from_address: '0xabc', to_address: null, transaction_type: 3, max_fee_per_blob_gas: 2, blob_versioned_hashes: ['0x01', '0x02'], block_timestamp: 100 });
    expect(transactions.toRows(bundle({ block: { ...header, transactions: ['0xT'] } }))).toEqual([]);
  });
});

describe('receipts', () => {
  it('parses l1_fee_scalar as a float, keeps unparseable text and maps "" to null', () => {
    expect(receiptToRow({ transactionHash: '0x1', l1FeeScalar: '0.684' }).l1_fee_scalar).toEqual(new PythonFloat(0.684));
    expect(receiptToRow({ transactionHash: '0x1', l1FeeScalar: 'abc' }).l1_fee_scalar).toBe('abc');
    expect(receiptToRow({ transactionHash: '0x1', l1FeeScalar: '' }).l1_fee_scalar).toBeNull();
    expect(receiptToRow({ transactionHash: '0x1', contractAddress: '0xABC' }).contract_address).toBe('0xabc');
  });
});

describe('receipts: l1_fee_scalar is written as Python writes a float', () => {
  const cell = (text: string, format: typeof csvFormat) => {
    const row = receiptToRow({ transactionHash: '0x1', l1FeeScalar: text });
    const line = format.row(['l1_fee_scalar'], row);
    return line.slice(format === jsonFormat ? '{"l1_fee_scalar": '.length : 0, format === jsonFormat ? -2 : -1);
  };
  // Expected values from Python 3: csv.writer / json.dumps of float(text), or of text itself
  // when float() rejects it.
  it.each([
    ['1', '1.0', '1.0'], ['2', '2.0', '2.0'], ['0.684', '0.684', '0.684'], ['1e-7', '1e-07', '1e-07'], [' 1_000.5 ', '1000.5', '1000.5'],
    ['1.', '1.0', '1.0'], ['.5', '0.5', '0.5'], ['1.e5', '100000.0', '100000.0'], ['1e400', 'inf', 'Infinity'], ['-Infinity', '-inf', '-Infinity'],
    ['nan', 'nan', 'NaN'], ['0x10', '0x10', '"0x10"'], ['abc', 'abc', '"abc"'],
  ])('%j -> CSV %s, JSON %s', (text, csv, json) => {
    expect(cell(text, csvFormat)).toBe(csv);
    expect(cell(text, jsonFormat)).toBe(json);
  });
});

describe('traces, contracts and tokens', () => {
  const created = {
    type: 'create', blockNumber: 16, blockHash: '0xh', transactionHash: '0xt', transactionPosition: 0, subtraces: 0, traceAddress: [],
    action: { from: '0xf', value: '0x0', gas: '0x1', init: '0x' },
    result: { address: '0xc0', code: `0x63${'18160ddd70a08231a9059cbb23b872dd095ea7b3dd62ed3e'.match(/.{8}/g)!.join('63')}`, gasUsed: '0x1' },
  };
  const failed = { ...created, transactionHash: '0xu', error: 'Reverted', result: null };
  const b = bundle({ traces: [created, failed] });

  it('contracts come from successful creates only, with bytecode analysis', () => {
    const rows = contracts.toRows(b);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ address: '0xc0', is_erc20: true, is_erc721: false, block_number: 16n });
  });
  it('tokens join the fetched metadata of flagged contracts', () => {
    b.tokenMetadata = new Map([['0xc0', { address: '0xc0', symbol: 'T', name: '', decimals: 18n, totalSupply: 10n ** 30n }]]);
    expect(tokens.toRows(b)).toEqual([{ address: '0xc0', symbol: 'T', name: '', decimals: 18n, total_supply: 10n ** 30n, block_number: 16n }]);
  });
  it('geth frames: selfdestruct becomes suicide, delegatecall a call type, create2 stays create2', () => {
    const frames = [{ type: 'CALL', from: '0xA', to: '0xB', calls: [{ type: 'DELEGATECALL', from: '0xB', to: '0xC' }, { type: 'SELFDESTRUCT', from: '0xB', to: '0xD' }, { type: 'CREATE2', from: '0xB', to: '0xE' }] }];
    const rows = traces.toRows(bundle({ gethTraces: frames }));
    expect(rows.map((r) => [r.trace_type, r.call_type, r.trace_address, r.subtraces])).toEqual([
      ['call', 'call', [], 3n], ['call', 'delegatecall', [0n], 0n], ['suicide', null, [1n], 0n], ['create2', null, [2n], 0n],
    ]);
    expect(jsonFormat.row(columnsOf('geth_traces'), gethTraces.toRows(bundle({ gethTraces: [{ type: 'CALL', time: '41µs' }] }))[0]!)).toBe(
      '{"block_number": 16, "transaction_traces": [{"type": "CALL", "time": "41\\u00b5s"}]}\n',
    );
  });
});

describe('erc1155_transfers', () => {
  it('one row per token id with batch positions', async () => {
    await erc1155Transfers.prepare?.();
    const pad = (n: number) => n.toString(16).padStart(64, '0');
    const data = `0x${pad(64)}${pad(160)}${pad(2)}${pad(7)}${pad(8)}${pad(2)}${pad(70)}${pad(80)}`;
    const log = { logIndex: '0x3', transactionHash: '0xt', transactionIndex: '0x1', blockHash: '0xh', blockNumber: '0x10', address: '0xTOKEN', data,
      topics: ['0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb', `0x${pad(1)}`, `0x${pad(2)}`, `0x${pad(3)}`] };
    const rows = erc1155Transfers.toRows(bundle({ receipts: [{ transactionHash: '0xt', transactionIndex: '0x1', logs: [log] }] }));
    expect(rows.map((r) => [r.token_id, r.value, r.batch_index, r.event_type, r.token_address])).toEqual([[7n, 70n, 0n, 'batch', '0xtoken'], [8n, 80n, 1n, 'batch', '0xtoken']]);
  });
});
