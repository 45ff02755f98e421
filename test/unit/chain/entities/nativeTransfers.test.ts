import { describe, expect, it } from 'vitest';
import { nativeTransfers } from '../../../../src/chain/entities/nativeTransfers.js';
import { columnsOf, DEFAULT_DAILY_ENTITIES, UNTRACED_ENTITIES } from '../../../../src/chain/entities/registry.js';
import type { BlockBundle } from '../../../../src/chain/entities/rpcShapes.js';
import type { GethCallFrame } from '../../../../src/chain/decode/gethTraceRows.js';
import type { ParityTrace } from '../../../../src/chain/decode/parityTraceRows.js';
import { csvFormat } from '../../../../src/lake/format/csvFormat.js';

const BLOCK_HASH = '0x' + 'ab'.repeat(32);
const header = { number: '0x10', hash: BLOCK_HASH, parentHash: '0xp', timestamp: '0x64' };
const bundle = (extra: Partial<BlockBundle>): BlockBundle => ({ number: 16, block: { ...header }, ...extra });
const addr = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

function trace(position: number | null, hash: string | null, traceAddress: number[], fields: Partial<ParityTrace>): ParityTrace {
  return { blockNumber: 16, blockHash: BLOCK_HASH, transactionPosition: position, transactionHash: hash, traceAddress, subtraces: 0, ...fields };
}
const call = (from: number, to: number, value: string, callType = 'call') => ({ type: 'call', action: { from: addr(from), to: addr(to), value, gas: '0x1', input: '0x', callType }, result: { gasUsed: '0x1', output: '0x' } });

// One block, three transactions and a reward: nested calls that move ETH, calls that only seem
// to (delegatecall, staticcall, callcode, zero value), and value under a failed call.
const parityTraces: ParityTrace[] = [
  trace(0, '0xa', [], { ...call(1, 2, '0x5'), subtraces: 6 }),
  trace(0, '0xa', [0], { ...call(2, 3, '0x2'), subtraces: 2 }),
  trace(0, '0xa', [0, 0], call(3, 4, '0x2', 'delegatecall')),
  trace(0, '0xa', [0, 1], call(3, 4, '0x0', 'staticcall')),
  trace(0, '0xa', [1], { ...call(2, 5, '0x1'), error: 'Reverted', subtraces: 1 }),
  trace(0, '0xa', [1, 0], call(5, 6, '0x1')),
  trace(0, '0xa', [2], { type: 'create', action: { from: addr(2), value: '0x3', gas: '0x1', init: '0x' }, result: { address: addr(7), code: '0x', gasUsed: '0x1' } }),
  trace(0, '0xa', [3], { type: 'suicide', action: { address: addr(2), refundAddress: addr(8), balance: '0x4' } }),
  trace(0, '0xa', [4], call(2, 9, '0x0')),
  trace(0, '0xa', [5], call(2, 9, '0x9', 'callcode')),
  trace(1, '0xb', [], { ...call(9, 10, '0x7'), error: 'out of gas' }),
  trace(2, '0xc', [], call(11, 12, '0xde0b6b3a7640000')),
  trace(null, null, [], { type: 'reward', action: { author: addr(13), value: '0x1bc16d674ec80000', rewardType: 'block' } }),
];

const row = (transactionIndex: bigint, hash: string | null, transferIndex: bigint, traceAddress: bigint[], type: string, from: number, to: number, value: bigint) => ({
  block_number: 16n, block_hash: BLOCK_HASH, transaction_index: transactionIndex, transaction_hash: hash, transfer_index: transferIndex,
  trace_address: traceAddress, trace_type: type, from_address: addr(from), to_address: addr(to), value,
});

describe('native_transfers', () => {
  it('keeps successful value-moving calls, creates and self-destructs at every depth, in trace order', () => {
    expect(nativeTransfers.toRows(bundle({ traces: parityTraces }))).toEqual([
      row(0n, '0xa', 0n, [], 'call', 1, 2, 5n),
      row(0n, '0xa', 1n, [0n], 'call', 2, 3, 2n),
      row(0n, '0xa', 2n, [2n], 'create', 2, 7, 3n),
      row(0n, '0xa', 3n, [3n], 'suicide', 2, 8, 4n),
      row(2n, '0xc', 4n, [], 'call', 11, 12, 10n ** 18n),
    ]);
  });

  it('reads geth callTracer frames the same way: errors fail their subtree, no transaction hash', () => {
    const frames: GethCallFrame[] = [
      {
        type: 'CALL', from: addr(1), to: addr(2), value: '0x5',
        calls: [
          { type: 'CALL', from: addr(2), to: addr(5), value: '0x1', error: 'execution reverted', calls: [{ type: 'CALL', from: addr(5), to: addr(6), value: '0x1' }] },
          { type: 'DELEGATECALL', from: addr(2), to: addr(3), value: '0x5' },
          { type: 'CREATE2', from: addr(2), to: addr(7), value: '0x3' },
          { type: 'SELFDESTRUCT', from: addr(2), to: addr(8), value: '0x4' },
        ],
      },
      { type: 'CALL', from: addr(9), to: addr(10), value: '0x7', error: 'out of gas' },
    ];
    expect(nativeTransfers.toRows(bundle({ gethTraces: frames }))).toEqual([
      row(0n, null, 0n, [], 'call', 1, 2, 5n),
      row(0n, null, 1n, [2n], 'create2', 2, 7, 3n),
      row(0n, null, 2n, [3n], 'suicide', 2, 8, 4n),
    ]);
  });

  it('writes the trace address as ethereum-etl lists, and a block without traces gives no rows', () => {
    const rows = nativeTransfers.toRows(bundle({ traces: [trace(0, '0xa', [], { ...call(1, 2, '0x5'), subtraces: 1 }), trace(0, '0xa', [0], { ...call(2, 3, '0x2'), subtraces: 1 }), trace(0, '0xa', [0, 0], call(3, 4, '0x1'))] }));
    expect(csvFormat.row(columnsOf('native_transfers'), rows[2]!)).toBe(`16,${BLOCK_HASH},0,0xa,2,"0,0",call,${addr(3)},${addr(4)},1\n`);
    expect(nativeTransfers.toRows(bundle({ traces: [] }))).toEqual([]);
  });

  it('is opt-in: it needs a tracing node', () => {
    expect(DEFAULT_DAILY_ENTITIES).not.toContain('native_transfers');
    expect(UNTRACED_ENTITIES).not.toContain('native_transfers');
    expect(nativeTransfers.needs).toEqual(['traces']);
  });
});
