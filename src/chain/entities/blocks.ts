import type { Row } from '../rows.js';
import { quantity, lower, verbatim } from '../decode/hexToInt.js';
import type { Entity } from './entity.js';
import type { RpcBlock } from './rpcShapes.js';

const columns = [
  'number', 'hash', 'parent_hash', 'nonce', 'sha3_uncles', 'logs_bloom', 'transactions_root', 'state_root', 'receipts_root',
  'miner', 'difficulty', 'total_difficulty', 'size', 'extra_data', 'gas_limit', 'gas_used', 'timestamp', 'transaction_count',
  'base_fee_per_gas', 'withdrawals_root', 'withdrawals', 'blob_gas_used', 'excess_blob_gas',
] as const;

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
export const blocks: Entity = {
  name: 'blocks',
  columns,
  sortKey: ['number'],
  rpcMethods: ['eth_getBlockByNumber'],
  needs: [],
  toRows: (bundle) => [blockToRow(bundle.block)],
};
