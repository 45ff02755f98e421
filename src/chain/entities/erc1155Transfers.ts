import type { Row } from '../rows.js';
import { decodeErc1155Transfer, TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC } from '../decode/decodeErc1155Transfer.js';
import { hexToInt, lower, verbatim } from '../decode/hexToInt.js';
import type { Entity } from './entity.js';
import { blockLogs } from './logs.js';

const columns = [
  'token_address', 'operator', 'from_address', 'to_address', 'token_id', 'value', 'event_type', 'batch_index',
  'transaction_hash', 'transaction_index', 'log_index', 'block_number', 'block_hash',
] as const;

/** ERC-1155 TransferSingle and TransferBatch, one row per token id (batch_index = position in the batch). */
export const erc1155Transfers: Entity = {
  name: 'erc1155_transfers',
  columns,
  sortKey: ['block_number', 'log_index', 'batch_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
  logTopics: [TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC],
  toRows(bundle) {
    const rows: Row[] = [];
    for (const log of blockLogs(bundle)) {
      const transfer = decodeErc1155Transfer({ address: log.address ?? null, topics: log.topics ?? [], data: log.data ?? null });
      if (!transfer) continue;
      transfer.items.forEach((item, i) => {
        rows.push({
          token_address: lower(log.address),
          operator: transfer.operator,
          from_address: transfer.from,
          to_address: transfer.to,
          token_id: item.tokenId,
          value: item.value,
          event_type: transfer.eventType,
          batch_index: BigInt(i),
          transaction_hash: verbatim(log.transactionHash),
          transaction_index: hexToInt(log.transactionIndex),
          log_index: hexToInt(log.logIndex),
          block_number: hexToInt(log.blockNumber),
          block_hash: verbatim(log.blockHash),
        });
      });
    }
    return rows;
  },
};
