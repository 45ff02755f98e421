import type { CellObject } from '../rows.js';
import { hexToInt, lower, verbatim } from './hexToInt.js';
import type { TraceRow } from './parityTraceRows.js';

/** A callTracer frame as geth returns it; nested calls in `calls`. */
export interface GethCallFrame extends CellObject {
  readonly type?: string;
  readonly from?: string;
  readonly to?: string;
  readonly value?: string;
  readonly gas?: string;
  readonly gasUsed?: string;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly calls?: readonly GethCallFrame[];
}

const CALL_TYPES = new Set(['call', 'callcode', 'delegatecall', 'staticcall']);

/**
 * ethereum-etl's `extract_geth_traces` (spec 1.9): every frame depth-first, pre-order, one trace
 * each. geth gives no transaction hash, status or trace id, so those stay null.
 */
export function gethTracesToRows(blockNumber: number, transactionTraces: readonly GethCallFrame[]): TraceRow[] {
  const rows: TraceRow[] = [];
  transactionTraces.forEach((frame, transactionIndex) => {
    walk(frame, [], (f, address) => rows.push(frameToRow(blockNumber, transactionIndex, f, address)));
  });
  return rows;
}

function walk(frame: GethCallFrame, address: number[], visit: (f: GethCallFrame, address: number[]) => void): void {
  visit(frame, address);
  (frame.calls ?? []).forEach((child, i) => walk(child, [...address, i], visit));
}

function frameToRow(blockNumber: number, transactionIndex: number, frame: GethCallFrame, address: number[]): TraceRow {
  let traceType = lower(frame.type);
  let callType: string | null = null;
  if (traceType === 'selfdestruct') traceType = 'suicide';
  else if (traceType !== null && CALL_TYPES.has(traceType)) {
    callType = traceType;
    traceType = 'call';
  }
  return {
    block_number: BigInt(blockNumber),
    transaction_hash: null,
    transaction_index: BigInt(transactionIndex),
    from_address: lower(frame.from),
    to_address: lower(frame.to),
    value: hexToInt(frame.value),
    input: verbatim(frame.input),
    output: verbatim(frame.output),
    trace_type: traceType,
    call_type: callType,
    reward_type: null,
    gas: hexToInt(frame.gas),
    gas_used: hexToInt(frame.gasUsed),
    subtraces: BigInt(frame.calls?.length ?? 0),
    trace_address: address.map((i) => BigInt(i)),
    error: verbatim(frame.error),
    status: null,
    trace_id: null,
    trace_index: null,
  };
}
