import { required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import type { decodeErc1155Transfer } from '../decode/decodeErc1155Transfer.js';
import { TRANSFER_BATCH_TOPIC, TRANSFER_SINGLE_TOPIC } from '../decode/erc1155Topics.js';
import { hexToInt, lower, verbatim } from '../decode/hexToInt.js';
import { prepared, type TableEntity } from './entity.js';
import { blockLogs } from './logs.js';

const columns = [
  required('token_address', 'address'),
  required('operator', 'address'),
  required('from_address', 'address'),
  required('to_address', 'address'),
  required('token_id', 'uint256'),
  required('value', 'uint256'),
  required('event_type', 'string'),
  required('batch_index', 'int64'),
  required('transaction_hash', 'hash'),
  required('transaction_index', 'int64'),
  required('log_index', 'int64'),
  required('block_number', 'int64'),
  required('block_hash', 'hash'),
];

let decode: typeof decodeErc1155Transfer | undefined;

/** ERC-1155 TransferSingle and TransferBatch, one row per token id (batch_index = position in the batch). */
export const erc1155Transfers: TableEntity<'erc1155_transfers'> = {
  name: 'erc1155_transfers',
  columns,
  sortKey: ['block_number', 'log_index', 'batch_index'],
  rpcMethods: ['eth_getBlockReceipts', 'eth_getTransactionReceipt', 'eth_getLogs'],
  needs: ['receipts'],
  daily: true,
  warehouse: { blockColumn: 'block_number', distKey: 'block_number', sortKey: ['block_number'] },
  logTopics: [TRANSFER_SINGLE_TOPIC, TRANSFER_BATCH_TOPIC],
  async prepare() {
    decode ??= (await import('../decode/decodeErc1155Transfer.js')).decodeErc1155Transfer;
  },
  toRows(bundle) {
    const decodeTransfer = prepared(decode, 'erc1155_transfers');
    const rows: Row[] = [];
    for (const log of blockLogs(bundle)) {
      const transfer = decodeTransfer({ address: log.address ?? null, topics: log.topics ?? [], data: log.data ?? null });
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
