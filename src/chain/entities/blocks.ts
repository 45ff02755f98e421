import type { Row } from '../../lake/format/types.js';
import { hexToInt, lower, verbatim } from '../decode/hexToInt.js';
import type { Entity } from './entity.js';
import type { RpcBlock } from './rpcShapes.js';

const columns = [
  'number', 'hash', 'parent_hash', 'nonce', 'sha3_uncles', 'logs_bloom', 'transactions_root', 'state_root', 'receipts_root',
  'miner', 'difficulty', 'total_difficulty', 'size', 'extra_data', 'gas_limit', 'gas_used', 'timestamp', 'transaction_count',
  'base_fee_per_gas', 'withdrawals_root', 'withdrawals', 'blob_gas_used', 'excess_blob_gas',
] as const;

export function blockToRow(block: RpcBlock): Row {
  return {
    number: hexToInt(block.number),
    hash: verbatim(block.hash),
    parent_hash: verbatim(block.parentHash),
    nonce: verbatim(block.nonce),
    sha3_uncles: verbatim(block.sha3Uncles),
    logs_bloom: verbatim(block.logsBloom),
    transactions_root: verbatim(block.transactionsRoot),
    state_root: verbatim(block.stateRoot),
    receipts_root: verbatim(block.receiptsRoot),
    miner: lower(block.miner),
    difficulty: hexToInt(block.difficulty),
    total_difficulty: hexToInt(block.totalDifficulty),
    size: hexToInt(block.size),
    extra_data: verbatim(block.extraData),
    gas_limit: hexToInt(block.gasLimit),
    gas_used: hexToInt(block.gasUsed),
    timestamp: hexToInt(block.timestamp),
    transaction_count: BigInt(block.transactions?.length ?? 0),
    base_fee_per_gas: hexToInt(block.baseFeePerGas),
    withdrawals_root: verbatim(block.withdrawalsRoot),
    withdrawals: (block.withdrawals ?? []).map((w) => ({
      index: hexToInt(w.index),
      validator_index: hexToInt(w.validatorIndex),
      address: verbatim(w.address),
      amount: hexToInt(w.amount),
    })),
    blob_gas_used: hexToInt(block.blobGasUsed),
    excess_blob_gas: hexToInt(block.excessBlobGas),
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
