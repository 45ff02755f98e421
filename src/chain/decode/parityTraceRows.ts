import type { Row } from '../rows.js';
import { hexToInt, lower, verbatim } from './hexToInt.js';

/** One element of a `trace_block` result (parity/OpenEthereum/Erigon/Reth). */
export interface ParityTrace {
  action?: Record<string, unknown> | null;
  result?: Record<string, unknown> | null;
  error?: string | null;
  type?: string;
  blockNumber?: number;
  blockHash?: string;
  transactionHash?: string | null;
  transactionPosition?: number | null;
  subtraces?: number;
  traceAddress?: number[];
}

export interface TraceRow extends Record<string, unknown> {
  block_number: bigint | string | null;
  transaction_hash: string | null;
  transaction_index: bigint | string | null;
  from_address: string | null;
  to_address: string | null;
  value: bigint | string | null;
  input: string | null;
  output: string | null;
  trace_type: string | null;
  call_type: string | null;
  reward_type: string | null;
  gas: bigint | string | null;
  gas_used: bigint | string | null;
  subtraces: bigint;
  trace_address: bigint[];
  error: string | null;
  status: bigint | null;
  trace_id: string | null;
  trace_index: bigint | null;
}

/** Maps one node trace to the ethereum-etl traces schema (spec 1.8), before status and ids. */
export function parityTraceToRow(trace: ParityTrace): TraceRow {
  const action = trace.action ?? {};
  const result = trace.result ?? {};
  const row: TraceRow = {
    block_number: hexToInt(trace.blockNumber),
    transaction_hash: verbatim(trace.transactionHash),
    transaction_index: hexToInt(trace.transactionPosition),
    from_address: null,
    to_address: null,
    value: null,
    input: null,
    output: null,
    trace_type: verbatim(trace.type),
    call_type: null,
    reward_type: null,
    gas: null,
    gas_used: null,
    subtraces: BigInt(trace.subtraces ?? 0),
    trace_address: (trace.traceAddress ?? []).map((i) => BigInt(i)),
    error: trace.error ? trace.error : null,
    status: null,
    trace_id: null,
    trace_index: null,
  };
  const type = trace.type;
  if (type === 'call' || type === 'create') {
    row.from_address = lower(action.from);
    row.value = hexToInt(action.value);
    row.gas = hexToInt(action.gas);
    row.gas_used = hexToInt(result.gasUsed);
  }
  if (type === 'call') {
    row.call_type = verbatim(action.callType);
    row.to_address = lower(action.to);
    row.input = verbatim(action.input);
    row.output = verbatim(result.output);
  } else if (type === 'create') {
    row.to_address = verbatim(result.address);
    row.input = verbatim(action.init);
    row.output = verbatim(result.code);
  } else if (type === 'suicide') {
    row.from_address = lower(action.address);
    row.to_address = lower(action.refundAddress);
    row.value = hexToInt(action.balance);
  } else if (type === 'reward') {
    row.to_address = lower(action.author);
    row.value = hexToInt(action.value);
    row.reward_type = verbatim(action.rewardType);
  }
  return row;
}

/**
 * The per-block post-processing of spec 1.8: status (a failed parent fails its subtree),
 * trace_id, and trace_index as the position in the block's list.
 */
export function finishBlockTraces(rows: TraceRow[]): TraceRow[] {
  for (const row of rows) row.status = row.error ? 0n : 1n;
  const byTransaction = new Map<string, TraceRow[]>();
  for (const row of rows) {
    if (row.transaction_hash === null) continue;
    const list = byTransaction.get(row.transaction_hash) ?? [];
    list.push(row);
    byTransaction.set(row.transaction_hash, list);
  }
  for (const [hash, list] of byTransaction) {
    const byAddress = new Map(list.map((row) => [row.trace_address.join(','), row]));
    const ordered = [...list].sort((a, b) => a.trace_address.length - b.trace_address.length);
    for (const row of ordered) {
      if (row.trace_address.length === 0) continue;
      const parent = byAddress.get(row.trace_address.slice(0, -1).join(','));
      if (!parent) throw new Error(`trace ${hash} [${row.trace_address.join(',')}] has no parent trace in its block`);
      if (parent.status === 0n) row.status = 0n;
    }
    for (const row of list) row.trace_id = `${row.trace_type}_${hash}_${row.trace_address.join('_')}`;
  }
  assignIdsWithoutHash(rows);
  rows.forEach((row, index) => {
    row.trace_index = BigInt(index);
  });
  return rows;
}

function assignIdsWithoutHash(rows: TraceRow[]): void {
  const groups = new Map<string, TraceRow[]>();
  for (const row of rows) {
    if (row.transaction_hash !== null) continue;
    const key = `${String(row.block_number)}|${row.trace_type}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  for (const list of groups.values()) {
    list.sort(comparePythonTuple);
    list.forEach((row, i) => {
      row.trace_id = `${row.trace_type}_${String(row.block_number)}_${i}`;
    });
  }
}

// Python sorts the tuple (reward_type, from_address, to_address, value); None sorts first here,
// which only matters for synthetic traces that the reference would itself fail to compare.
function comparePythonTuple(a: TraceRow, b: TraceRow): number {
  const keys = ['reward_type', 'from_address', 'to_address', 'value'] as const;
  for (const key of keys) {
    const c = compareNullable(a[key], b[key]);
    if (c !== 0) return c;
  }
  return 0;
}

function compareNullable(a: string | bigint | null, b: string | bigint | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : 1;
  return String(a) < String(b) ? -1 : 1;
}

export function traceRowAsRow(row: TraceRow): Row {
  return row as unknown as Row;
}
