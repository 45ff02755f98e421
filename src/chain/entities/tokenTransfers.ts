import { required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import { quantity, verbatim } from '../decode/hexToInt.js';
import { TRANSFER_TOPIC, tokenTransferFromLog } from '../decode/tokenTransferFromLog.js';
import type { TableEntity } from './entity.js';
import type { RpcLog } from './rpcShapes.js';
import { blockLogs } from './logs.js';

const columns = [
  required('token_address', 'address'),
  required('from_address', 'address'),
  required('to_address', 'address'),
  required('value', 'uint256'),
  required('transaction_hash', 'hash'),
  required('log_index', 'int64'),
  required('block_number', 'int64'),
];

export function tokenTransferRow(log: RpcLog): Row | null {
  const transfer = tokenTransferFromLog({ address: log.address ?? null, topics: log.topics ?? [], data: log.data ?? null });
  if (!transfer) return null;
  return {
    token_address: transfer.tokenAddress,
    from_address: transfer.from,
    to_address: transfer.to,
    value: transfer.value,
    transaction_hash: verbatim(log.transactionHash),
    log_index: quantity(log.logIndex),
    block_number: quantity(log.blockNumber),
  };
}

/** ERC-20/721 `Transfer` logs with exactly four words (ethereum-etl's extractor). */
export const tokenTransfers: TableEntity<'token_transfers'> = {
  name: 'token_transfers',
  columns,
  sortKey: ['block_number', 'log_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  logTopics: [TRANSFER_TOPIC],
  toRows(bundle) {
    const rows: Row[] = [];
    for (const log of blockLogs(bundle)) {
      const row = tokenTransferRow(log);
      if (row) rows.push(row);
    }
    return rows;
  },
};
