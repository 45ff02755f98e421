import { nullable, required } from '../columnTypes.js';
import type { Row } from '../rows.js';
import { quantity, lower, verbatim } from '../decode/hexToInt.js';
import type { TableEntity } from './entity.js';
import type { RpcBlock } from './rpcShapes.js';

const columns = [
  required('number', 'int64'),
  required('hash', 'hash'),
  required('parent_hash', 'hash'),
  nullable('nonce', 'bytes'),
  nullable('sha3_uncles', 'hash'),
  nullable('logs_bloom', 'bytes'),
  nullable('transactions_root', 'hash'),
  nullable('state_root', 'hash'),
  nullable('receipts_root', 'hash'),
  nullable('miner', 'address'),
  nullable('difficulty', 'uint256'),
  nullable('total_difficulty', 'uint256'),
  nullable('size', 'int64'),
  nullable('extra_data', 'bytes'),
  required('gas_limit', 'int64'),
  required('gas_used', 'int64'),
  required('timestamp', 'timestamp'),
  required('transaction_count', 'int64'),
  nullable('base_fee_per_gas', 'wei'),
  nullable('withdrawals_root', 'hash'),
  required('withdrawals', 'json'),
  nullable('blob_gas_used', 'int64'),
  nullable('excess_blob_gas', 'int64'),
];

export function blockToRow(block: RpcBlock): Row {
  return {
    number: quantity(block.number),
    hash: verbatim(block.hash),
    parent_hash: verbatim(block.parentHash),
    nonce: verbatim(block.nonce),
    sha3_uncles: verbatim(block.sha3Uncles),
    logs_bloom: verbatim(block.logsBloom),
    transactions_root: verbatim(block.transactionsRoot),
    state_root: verbatim(block.stateRoot),
    receipts_root: verbatim(block.receiptsRoot),
    miner: lower(block.miner),
    difficulty: quantity(block.difficulty),
    total_difficulty: quantity(block.totalDifficulty),
    size: quantity(block.size),
    extra_data: verbatim(block.extraData),
    gas_limit: quantity(block.gasLimit),
    gas_used: quantity(block.gasUsed),
    timestamp: quantity(block.timestamp),
    transaction_count: BigInt(block.transactions?.length ?? 0),
    base_fee_per_gas: quantity(block.baseFeePerGas),
    withdrawals_root: verbatim(block.withdrawalsRoot),
    withdrawals: (block.withdrawals ?? []).map((w) => ({
      index: quantity(w.index),
      validator_index: quantity(w.validatorIndex),
      address: verbatim(w.address),
      amount: quantity(w.amount),
    })),
    blob_gas_used: quantity(block.blobGasUsed),
    excess_blob_gas: quantity(block.excessBlobGas),
  };
}

/** eth_getBlockByNumber header fields, ethereum-etl 2.4.1 columns. */
export const blocks: TableEntity<'blocks'> = {
  name: 'blocks',
  columns,
  sortKey: ['number'],
  rpcMethods: ['eth_getBlockByNumber'],
  needs: [],
  daily: true,
  warehouse: { blockColumn: 'number', timestampColumn: 'timestamp', distKey: 'number', sortKey: ['timestamp'] },
  toRows: (bundle) => [blockToRow(bundle.block)],
};
