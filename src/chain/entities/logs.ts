import { required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import { quantity, verbatim } from '../decode/hexToInt.js';
import type { TableEntity } from './entity.js';
import type { BlockBundle, RpcLog } from './rpcShapes.js';
import { inIndexOrder } from './inIndexOrder.js';
import { sortedReceipts } from './receipts.js';

const columns = [
  required('log_index', 'int64'),
  required('transaction_hash', 'hash'),
  required('transaction_index', 'int64'),
  required('block_hash', 'hash'),
  required('block_number', 'int64'),
  required('address', 'address'),
  required('data', 'bytes'),
  required('topics', 'hash[]'),
];

export function logToRow(log: RpcLog): Row {
  return {
    log_index: quantity(log.logIndex),
    transaction_hash: verbatim(log.transactionHash),
    transaction_index: quantity(log.transactionIndex),
    block_hash: verbatim(log.blockHash),
    block_number: quantity(log.blockNumber),
    // ethereum-etl keeps the log address verbatim (not lower-cased).
    address: verbatim(log.address),
    data: verbatim(log.data),
    topics: log.topics ?? [],
  };
}

const memo = new WeakMap<BlockBundle, readonly RpcLog[]>();

/**
 * Every log of a block's receipts (or, limited to some contracts, of eth_getLogs), in block-wide
 * log index order (computed once per bundle).
 */
export function blockLogs(bundle: BlockBundle): readonly RpcLog[] {
  let cached = memo.get(bundle);
  if (!cached) {
    cached = collectLogs(bundle);
    memo.set(bundle, cached);
  }
  return cached;
}

function collectLogs(bundle: BlockBundle): readonly RpcLog[] {
  if (bundle.logs) return inIndexOrder(bundle.logs, (l) => l.logIndex);
  const all: RpcLog[] = [];
  for (const receipt of sortedReceipts(bundle.receipts)) for (const log of receipt.logs ?? []) all.push(log);
  return inIndexOrder(all, (l) => l.logIndex);
}

/** The logs of the block's receipts (same RPC as receipts). */
export const logs: TableEntity<'logs'> = {
  name: 'logs',
  columns,
  sortKey: ['block_number', 'log_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  logTopics: 'any',
  toRows: (bundle) => blockLogs(bundle).map(logToRow),
};
