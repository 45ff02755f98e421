import { frozenColumns, type TableShape } from './tables.js';

/**
 * The entity tables migration 1 created, frozen as released: a migration never changes, so the
 * tables it creates are written out here instead of read from the entity registry, which grows.
 * entityTableMigrations.test.ts checks that today's registry still declares the same tables; a
 * table added later is created by its own migration, a changed one by a migration that alters it.
 */
export const ENTITY_TABLES_V1: readonly TableShape[] = [
  {
    name: 'blocks',
    columns: frozenColumns(`
      number int64, hash hash, parent_hash hash, nonce bytes, sha3_uncles hash, logs_bloom bytes,
      transactions_root hash, state_root hash, receipts_root hash, miner address, difficulty uint256,
      total_difficulty uint256, size int64, extra_data bytes, gas_limit int64, gas_used int64,
      timestamp timestamp, transaction_count int64, base_fee_per_gas wei, withdrawals_root hash,
      withdrawals json, blob_gas_used int64, excess_blob_gas int64
    `),
    blockColumn: 'number',
    timestampColumn: 'timestamp',
    distKey: 'number',
    sortKey: ['timestamp'],
  },
  {
    name: 'transactions',
    columns: frozenColumns(`
      hash hash, nonce uint64, block_hash hash, block_number int64, transaction_index int64,
      from_address address, to_address address, value uint256, gas int64, gas_price wei, input bytes,
      block_timestamp timestamp, max_fee_per_gas wei, max_priority_fee_per_gas wei, transaction_type int64,
      max_fee_per_blob_gas wei, blob_versioned_hashes hash[]
    `),
    blockColumn: 'block_number',
    timestampColumn: 'block_timestamp',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
  {
    name: 'receipts',
    columns: frozenColumns(`
      transaction_hash hash, transaction_index int64, block_hash hash, block_number int64,
      cumulative_gas_used int64, gas_used int64, contract_address address, root hash, status int64,
      effective_gas_price wei, l1_fee wei, l1_gas_used int64, l1_gas_price wei, l1_fee_scalar float64,
      blob_gas_price wei, blob_gas_used int64
    `),
    blockColumn: 'block_number',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
  {
    name: 'logs',
    columns: frozenColumns(`
      log_index int64, transaction_hash hash, transaction_index int64, block_hash hash, block_number int64,
      address address, data bytes, topics hash[]
    `),
    blockColumn: 'block_number',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
  {
    name: 'token_transfers',
    columns: frozenColumns(`
      token_address address, from_address address, to_address address, value uint256, transaction_hash hash,
      log_index int64, block_number int64
    `),
    blockColumn: 'block_number',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
  {
    name: 'erc1155_transfers',
    columns: frozenColumns(`
      token_address address, operator address, from_address address, to_address address, token_id uint256,
      value uint256, event_type string, batch_index int64, transaction_hash hash, transaction_index int64,
      log_index int64, block_number int64, block_hash hash
    `),
    blockColumn: 'block_number',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
  {
    name: 'security_token_events',
    columns: frozenColumns(`
      event_name string, event_signature string, block_number int64, block_hash hash, transaction_hash hash,
      transaction_index int64, log_index int64, token_address address, partition hash, to_partition hash,
      operator address, from_address address, to_address address, amount uint256, data bytes,
      operator_data bytes, document_name hash, document_uri string, document_hash hash, decoded bool,
      topics hash[], log_data bytes
    `),
    blockColumn: 'block_number',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
  {
    name: 'contracts',
    columns: frozenColumns(`
      address address, bytecode bytes, function_sighashes bytes[], is_erc20 bool, is_erc721 bool,
      block_number int64
    `),
    blockColumn: 'block_number',
    distKey: 'address',
    sortKey: ['block_number'],
  },
  {
    name: 'tokens',
    columns: frozenColumns(`
      address address, symbol string, name string, decimals uint256, total_supply uint256, block_number int64
    `),
    blockColumn: 'block_number',
    distKey: 'ALL',
    sortKey: ['block_number'],
  },
  {
    name: 'traces',
    columns: frozenColumns(`
      block_number int64, transaction_hash hash, transaction_index int64, from_address address,
      to_address address, value uint256, input bytes, output bytes, trace_type string, call_type string,
      reward_type string, gas uint64, gas_used uint64, subtraces int64, trace_address int64[], error string,
      status int64, trace_id string
    `),
    blockColumn: 'block_number',
    distKey: 'block_number',
    sortKey: ['block_number'],
  },
];
