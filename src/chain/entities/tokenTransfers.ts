import type { Row } from '../rows.js';
import { quantity, verbatim } from '../decode/hexToInt.js';
import { TRANSFER_TOPIC, tokenTransferFromLog } from '../decode/tokenTransferFromLog.js';
import type { Entity } from './entity.js';
import type { RpcLog } from './rpcShapes.js';
import { blockLogs } from './logs.js';

const columns = ['token_address', 'from_address', 'to_address', 'value', 'transaction_hash', 'log_index', 'block_number'] as const;

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
export const tokenTransfers: Entity = {
  name: 'token_transfers',
  columns,
  sortKey: ['block_number', 'log_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
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
