import type { Row } from '../../lake/format/types.js';
import { hexToInt, lower, verbatim } from '../decode/hexToInt.js';
import type { Entity } from './entity.js';
import type { RpcTransaction } from './rpcShapes.js';

const columns = [
  'hash', 'nonce', 'block_hash', 'block_number', 'transaction_index', 'from_address', 'to_address', 'value', 'gas', 'gas_price',
  'input', 'block_timestamp', 'max_fee_per_gas', 'max_priority_fee_per_gas', 'transaction_type', 'max_fee_per_blob_gas',
  'blob_versioned_hashes',
] as const;

export function transactionToRow(tx: RpcTransaction, blockTimestamp: bigint | string | null): Row {
  return {
    hash: verbatim(tx.hash),
    nonce: hexToInt(tx.nonce),
    block_hash: verbatim(tx.blockHash),
    block_number: hexToInt(tx.blockNumber),
    transaction_index: hexToInt(tx.transactionIndex),
    from_address: lower(tx.from),
    to_address: lower(tx.to),
    value: hexToInt(tx.value),
    gas: hexToInt(tx.gas),
    gas_price: hexToInt(tx.gasPrice),
    input: verbatim(tx.input),
    block_timestamp: blockTimestamp,
    max_fee_per_gas: hexToInt(tx.maxFeePerGas),
    max_priority_fee_per_gas: hexToInt(tx.maxPriorityFeePerGas),
    transaction_type: hexToInt(tx.type),
    max_fee_per_blob_gas: hexToInt(tx.maxFeePerBlobGas),
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
    const timestamp = hexToInt(bundle.block.timestamp);
    const rows: Row[] = [];
    for (const tx of bundle.block.transactions ?? []) if (typeof tx === 'object' && tx !== null) rows.push(transactionToRow(tx, timestamp));
    return rows;
  },
};
