import { nullable, required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import { quantity, lower, verbatim } from '../decode/hexToInt.js';
import type { TableEntity } from './entity.js';
import type { RpcTransaction } from './rpcShapes.js';

const columns = [
  required('hash', 'hash'),
  required('nonce', 'uint64'),
  required('block_hash', 'hash'),
  required('block_number', 'int64'),
  required('transaction_index', 'int64'),
  required('from_address', 'address'),
  nullable('to_address', 'address'),
  required('value', 'uint256'),
  required('gas', 'int64'),
  nullable('gas_price', 'wei'),
  required('input', 'bytes'),
  required('block_timestamp', 'timestamp'),
  nullable('max_fee_per_gas', 'wei'),
  nullable('max_priority_fee_per_gas', 'wei'),
  nullable('transaction_type', 'int64'),
  nullable('max_fee_per_blob_gas', 'wei'),
  required('blob_versioned_hashes', 'hash[]'),
];

export function transactionToRow(tx: RpcTransaction, blockTimestamp: number | bigint | string | null): Row {
  return {
    hash: verbatim(tx.hash),
    nonce: quantity(tx.nonce),
    block_hash: verbatim(tx.blockHash),
    block_number: quantity(tx.blockNumber),
    transaction_index: quantity(tx.transactionIndex),
    from_address: lower(tx.from),
    to_address: lower(tx.to),
    value: quantity(tx.value),
    gas: quantity(tx.gas),
    gas_price: quantity(tx.gasPrice),
    input: verbatim(tx.input),
    block_timestamp: blockTimestamp,
    max_fee_per_gas: quantity(tx.maxFeePerGas),
    max_priority_fee_per_gas: quantity(tx.maxPriorityFeePerGas),
    transaction_type: quantity(tx.type),
    max_fee_per_blob_gas: quantity(tx.maxFeePerBlobGas),
    blob_versioned_hashes: Array.isArray(tx.blobVersionedHashes) ? (tx.blobVersionedHashes as string[]) : [],
  };
}

/** The transaction objects of eth_getBlockByNumber(n, true), in block order. */
export const transactions: TableEntity<'transactions'> = {
  name: 'transactions',
  columns,
  sortKey: ['block_number', 'transaction_index'],
  rpcMethods: ['eth_getBlockByNumber'],
  needs: ['blockTransactions'],
  daily: true,
  warehouse: { blockColumn: 'block_number', timestampColumn: 'block_timestamp', distKey: 'block_number', sortKey: ['block_number'] },
  toRows(bundle) {
    const timestamp = quantity(bundle.block.timestamp);
    const rows: Row[] = [];
    for (const tx of bundle.block.transactions ?? []) if (typeof tx === 'object' && tx !== null) rows.push(transactionToRow(tx, timestamp));
    return rows;
  },
};
