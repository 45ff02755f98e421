import { nullable, required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import { gethTracesToRows } from '../decode/gethTraceRows.js';
import { finishBlockTraces, parityTraceToRow, type TraceRow } from '../decode/parityTraceRows.js';
import type { TableEntity } from './entity.js';
import type { BlockBundle } from './rpcShapes.js';

const columns = [
  required('block_number', 'int64'),
  nullable('transaction_hash', 'hash'),
  nullable('transaction_index', 'int64'),
  nullable('from_address', 'address'),
  nullable('to_address', 'address'),
  nullable('value', 'uint256'),
  nullable('input', 'bytes'),
  nullable('output', 'bytes'),
  required('trace_type', 'string'),
  nullable('call_type', 'string'),
  nullable('reward_type', 'string'),
  nullable('gas', 'uint64'),
  nullable('gas_used', 'uint64'),
  required('subtraces', 'int64'),
  required('trace_address', 'int64[]'),
  nullable('error', 'string'),
  nullable('status', 'int64'),
  nullable('trace_id', 'string'),
];

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
export const traces: TableEntity<'traces'> = {
  name: 'traces',
  columns,
  sortKey: ['block_number', 'transaction_index', 'trace_address'],
  rpcMethods: ['trace_block'],
  needs: ['traces'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  toRows: (bundle) => traceRowsOf(bundle) as unknown as Row[],
};
