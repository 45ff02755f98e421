import { nullable, required } from '../columnTypes.js';
import type { TraceRow } from '../decode/parityTraceRows.js';
import { verbatim } from '../decode/hexToInt.js';
import type { Row } from '../rows.js';
import type { TableEntity } from './entity.js';
import { traceRowsOf } from './traces.js';

const columns = [
  required('block_number', 'int64'),
  required('block_hash', 'hash'),
  required('transaction_index', 'int64'),
  nullable('transaction_hash', 'hash'),
  required('transfer_index', 'int64'),
  required('trace_address', 'int64[]'),
  required('trace_type', 'string'),
  required('from_address', 'address'),
  required('to_address', 'address'),
  required('value', 'uint256'),
];

/**
 * Whether a trace moves ETH from `from_address` to `to_address`: a plain call (the transaction's
 * own top-level call included), a create's endowment, or a self-destruct's balance. A
 * delegatecall shows its caller's value without moving it, a callcode sends value to the caller
 * itself, a staticcall carries none, and rewards are issued rather than moved.
 */
function movesEth(trace: TraceRow): boolean {
  switch (trace.trace_type) {
    case 'call':
      return trace.call_type === 'call';
    case 'create':
    case 'create2':
    case 'suicide':
      return true;
    default:
      return false;
  }
}

/**
 * The traces that succeeded: neither they nor a trace above them in their transaction failed.
 * Computed from the errors rather than read from `status`, which geth-sourced traces lack; both
 * sources list a transaction's traces parent first.
 */
function succeeded(traces: readonly TraceRow[]): Set<TraceRow> {
  const failedAt = new Set<string>();
  const ok = new Set<TraceRow>();
  for (const trace of traces) {
    if (trace.transaction_index === null) continue;
    const key = (address: readonly bigint[]) => `${String(trace.transaction_index)}:${address.join(',')}`;
    const parentFailed = trace.trace_address.length > 0 && failedAt.has(key(trace.trace_address.slice(0, -1)));
    if (parentFailed || trace.error) failedAt.add(key(trace.trace_address));
    else ok.add(trace);
  }
  return ok;
}

/** The block's ETH transfers, in trace order; transfer_index counts them from 0 in each block. */
export function nativeTransferRows(traces: readonly TraceRow[], blockHash: string | null): Row[] {
  const ok = succeeded(traces);
  const rows: Row[] = [];
  for (const trace of traces) {
    if (!ok.has(trace) || !movesEth(trace)) continue;
    if (typeof trace.value !== 'bigint' || trace.value <= 0n || !trace.from_address || !trace.to_address) continue;
    rows.push({
      block_number: trace.block_number,
      block_hash: blockHash,
      transaction_index: trace.transaction_index,
      transaction_hash: trace.transaction_hash,
      transfer_index: BigInt(rows.length),
      trace_address: trace.trace_address,
      trace_type: trace.trace_type,
      from_address: trace.from_address,
      to_address: trace.to_address,
      value: trace.value,
    });
  }
  return rows;
}

/**
 * ETH moved by transactions and by the calls, creates and self-destructs inside them, from the
 * block's traces (trace_block, or geth callTracer frames with --traces-from geth). Opt-in: it
 * needs a tracing node. Rules in docs/entities/native_transfers.md.
 */
export const nativeTransfers: TableEntity<'native_transfers'> = {
  name: 'native_transfers',
  columns,
  sortKey: ['block_number', 'transfer_index'],
  rpcMethods: ['trace_block'],
  needs: ['traces'],
  daily: false,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  toRows: (bundle) => nativeTransferRows(traceRowsOf(bundle), verbatim(bundle.block.hash)),
};
