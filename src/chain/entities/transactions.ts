import type { Row } from '../rows.js';
import { quantity, lower, verbatim } from '../decode/hexToInt.js';
import type { Entity } from './entity.js';
import type { RpcTransaction } from './rpcShapes.js';

const columns = [
  'hash', 'nonce', 'block_hash', 'block_number', 'transaction_index', 'from_address', 'to_address', 'value', 'gas', 'gas_price',
  'input', 'block_timestamp', 'max_fee_per_gas', 'max_priority_fee_per_gas', 'transaction_type', 'max_fee_per_blob_gas',
  'blob_versioned_hashes',
] as const;

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
export const transactions: Entity = {
  name: 'transactions',
  columns,
  sortKey: ['block_number', 'transaction_index'],
  rpcMethods: ['eth_getBlockByNumber'],
  needs: ['blockTransactions'],
  toRows(bundle) {
    const timestamp = quantity(bundle.block.timestamp);
    const rows: Row[] = [];
    for (const tx of bundle.block.transactions ?? []) if (typeof tx === 'object' && tx !== null) rows.push(transactionToRow(tx, timestamp));
    return rows;
  },
};
