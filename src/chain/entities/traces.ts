import type { Row } from '../rows.js';
import { gethTracesToRows } from '../decode/gethTraceRows.js';
import { finishBlockTraces, parityTraceToRow, type TraceRow } from '../decode/parityTraceRows.js';
import type { Entity } from './entity.js';
import type { BlockBundle } from './rpcShapes.js';

const columns = [
  'block_number', 'transaction_hash', 'transaction_index', 'from_address', 'to_address', 'value', 'input', 'output', 'trace_type',
  'call_type', 'reward_type', 'gas', 'gas_used', 'subtraces', 'trace_address', 'error', 'status', 'trace_id',
] as const;

const memo = new WeakMap<BlockBundle, TraceRow[]>();

/**
 * The block's traces in the ethereum-etl schema, computed once per bundle (contracts and tokens
 * read them too). trace_block output when the bundle has it; otherwise geth callTracer frames
 * extracted as ethereum-etl's extract_geth_traces does (no hash, status or trace id).
 */
export function traceRowsOf(bundle: BlockBundle): TraceRow[] {
  let rows = memo.get(bundle);
  if (!rows) {
    if (bundle.traces) rows = finishBlockTraces(bundle.traces.map(parityTraceToRow));
    else if (bundle.gethTraces) rows = gethTracesToRows(bundle.number, bundle.gethTraces);
    else rows = [];
    memo.set(bundle, rows);
  }
  return rows;
}

/** trace_block (parity-style) traces, in node order: by transaction, then trace address; rewards last. */
export const traces: Entity = {
  name: 'traces',
  columns,
  sortKey: ['block_number', 'transaction_index', 'trace_address'],
  rpcMethods: ['trace_block'],
  needs: ['traces'],
  toRows: (bundle) => traceRowsOf(bundle) as unknown as Row[],
};
