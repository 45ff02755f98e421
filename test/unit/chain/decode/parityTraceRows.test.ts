import { describe, expect, it } from 'vitest';
import { finishBlockTraces, parityTraceToRow, type ParityTrace } from '../../../../src/chain/decode/parityTraceRows.js';

const call = (traceAddress: number[], error?: string): ParityTrace => ({
  type: 'call', blockNumber: 5, transactionHash: '0xaa', transactionPosition: 0, subtraces: 0, traceAddress,
  action: { callType: 'call', from: '0xA', to: '0xB', value: '0x1', gas: '0x10', input: '0x' },
  ...(error ? { error } : { result: { gasUsed: '0x5', output: '0x' } }),
});

describe('parity traces post-processing', () => {
  it('fails the subtree of a failed call and builds trace ids from the trace address', () => {
    const rows = finishBlockTraces([call([]), call([0], 'Reverted'), call([0, 0]), call([1])].map(parityTraceToRow));
    expect(rows.map((r) => r.status)).toEqual([1n, 0n, 0n, 1n]);
    expect(rows.map((r) => r.trace_id)).toEqual(['call_0xaa_', 'call_0xaa_0', 'call_0xaa_0_0', 'call_0xaa_1']);
    expect(rows.map((r) => r.trace_index)).toEqual([0n, 1n, 2n, 3n]);
    expect(rows[1]?.gas_used).toBeNull();
    expect(rows[0]?.from_address).toBe('0xa');
  });
  it('numbers rewards by (reward_type, from, to, value): block before uncle', () => {
    const reward = (rewardType: string, author: string): ParityTrace => ({ type: 'reward', blockNumber: 5, subtraces: 0, traceAddress: [], action: { author, rewardType, value: '0x1' } });
    const rows = finishBlockTraces([reward('uncle', '0x2'), reward('block', '0x9')].map(parityTraceToRow));
    expect(rows.map((r) => [r.reward_type, r.trace_id])).toEqual([['uncle', 'reward_5_1'], ['block', 'reward_5_0']]);
  });
  it('keeps a create address verbatim and maps suicides', () => {
    const create = parityTraceToRow({ type: 'create', action: { from: '0xF', value: '0x0', gas: '0x1', init: '0x60' }, result: { address: '0xAbC', code: '0x00', gasUsed: '0x1' } });
    expect([create.to_address, create.input, create.output]).toEqual(['0xAbC', '0x60', '0x00']);
    const suicide = parityTraceToRow({ type: 'suicide', action: { address: '0xA', refundAddress: '0xB', balance: '0x10' } });
    expect([suicide.from_address, suicide.to_address, suicide.value]).toEqual(['0xa', '0xb', 16n]);
  });
  it('raises on a trace whose parent is missing', () => {
    expect(() => finishBlockTraces([call([]), call([3, 0])].map(parityTraceToRow))).toThrow(/no parent/);
  });
});
