import { ENTITY_NAMES, type EntityName } from '../chain/types.js';

/**
 * Logical column types; each dialect maps them to physical types (see columnType.ts).
 * - `int`: block numbers, indexes, gas amounts, unix seconds (fit in a signed 64-bit integer).
 * - `uint256`: token amounts, ids, supplies, difficulty: any value up to 2^256-1 (78 digits).
 * - `wei`: prices and fees paid in ETH. They are uint256 in the protocol but bounded by the ETH
 *   supply (a sender must afford gas * price), far below 10^38, so Redshift may use DECIMAL(38,0).
 * - `uint64`: nonces, which may exceed the signed 64-bit range.
 * - `hash` (32-byte hex), `address` (20-byte hex), `text` (unbounded hex or text), `bool`, `float`.
 */
export type ColumnKind = 'int' | 'uint64' | 'uint256' | 'wei' | 'hash' | 'address' | 'text' | 'bool' | 'float';

export interface ColumnDef {
  name: string;
  kind: ColumnKind;
}

export interface TableDef {
  name: WarehouseTableName;
  /** Columns in ethereum-etl order, which is also the CSV order of the lake files. */
  columns: readonly ColumnDef[];
  /** The block-number column a day's load deletes and re-inserts by. */
  blockColumn: string;
  /** Column for time-range scans, when the table has one. */
  timestampColumn?: string;
  /** Redshift distribution: a column, or ALL for small dimension tables. */
  distKey: string | 'ALL';
  sortKey: readonly string[];
}

/** Every exported entity has a table except geth_traces, whose nested call frames stay in the lake. */
export type WarehouseTableName = Exclude<EntityName, 'geth_traces'>;

export const WAREHOUSE_TABLES: readonly WarehouseTableName[] = ENTITY_NAMES.filter(
  (name): name is WarehouseTableName => name !== 'geth_traces',
);

const c = (name: string, kind: ColumnKind): ColumnDef => ({ name, kind });

const blocks: TableDef = {
  name: 'blocks',
  columns: [
    c('number', 'int'),
    c('hash', 'hash'),
    c('parent_hash', 'hash'),
    c('nonce', 'text'),
    c('sha3_uncles', 'hash'),
    c('logs_bloom', 'text'),
    c('transactions_root', 'hash'),
    c('state_root', 'hash'),
    c('receipts_root', 'hash'),
    c('miner', 'address'),
    c('difficulty', 'uint256'),
    c('total_difficulty', 'uint256'),
    c('size', 'int'),
    c('extra_data', 'text'),
    c('gas_limit', 'int'),
    c('gas_used', 'int'),
    c('timestamp', 'int'),
    c('transaction_count', 'int'),
    c('base_fee_per_gas', 'wei'),
    c('withdrawals_root', 'hash'),
    c('withdrawals', 'text'),
    c('blob_gas_used', 'int'),
    c('excess_blob_gas', 'int'),
  ],
  blockColumn: 'number',
  timestampColumn: 'timestamp',
  distKey: 'number',
  sortKey: ['timestamp'],
};

const transactions: TableDef = {
  name: 'transactions',
  columns: [
    c('hash', 'hash'),
    c('nonce', 'uint64'),
    c('block_hash', 'hash'),
    c('block_number', 'int'),
    c('transaction_index', 'int'),
    c('from_address', 'address'),
    c('to_address', 'address'),
    c('value', 'uint256'),
    c('gas', 'int'),
    c('gas_price', 'wei'),
    c('input', 'text'),
    c('block_timestamp', 'int'),
    c('max_fee_per_gas', 'wei'),
    c('max_priority_fee_per_gas', 'wei'),
    c('transaction_type', 'int'),
    c('max_fee_per_blob_gas', 'wei'),
    c('blob_versioned_hashes', 'text'),
  ],
  blockColumn: 'block_number',
  timestampColumn: 'block_timestamp',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

const receipts: TableDef = {
  name: 'receipts',
  columns: [
    c('transaction_hash', 'hash'),
    c('transaction_index', 'int'),
    c('block_hash', 'hash'),
    c('block_number', 'int'),
    c('cumulative_gas_used', 'int'),
    c('gas_used', 'int'),
    c('contract_address', 'address'),
    c('root', 'hash'),
    c('status', 'int'),
    c('effective_gas_price', 'wei'),
    c('l1_fee', 'wei'),
    c('l1_gas_used', 'int'),
    c('l1_gas_price', 'wei'),
    c('l1_fee_scalar', 'float'),
    c('blob_gas_price', 'wei'),
    c('blob_gas_used', 'int'),
  ],
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

const logs: TableDef = {
  name: 'logs',
  columns: [
    c('log_index', 'int'),
    c('transaction_hash', 'hash'),
    c('transaction_index', 'int'),
    c('block_hash', 'hash'),
    c('block_number', 'int'),
    c('address', 'address'),
    c('data', 'text'),
    c('topics', 'text'),
  ],
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

const tokenTransfers: TableDef = {
  name: 'token_transfers',
  columns: [
    c('token_address', 'address'),
    c('from_address', 'address'),
    c('to_address', 'address'),
    c('value', 'uint256'),
    c('transaction_hash', 'hash'),
    c('log_index', 'int'),
    c('block_number', 'int'),
  ],
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

const erc1155Transfers: TableDef = {
  name: 'erc1155_transfers',
  columns: [
    c('token_address', 'address'),
    c('operator', 'address'),
    c('from_address', 'address'),
    c('to_address', 'address'),
    c('token_id', 'uint256'),
    c('value', 'uint256'),
    c('event_type', 'text'),
    c('batch_index', 'int'),
    c('transaction_hash', 'hash'),
    c('transaction_index', 'int'),
    c('log_index', 'int'),
    c('block_number', 'int'),
    c('block_hash', 'hash'),
  ],
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

const securityTokenEvents: TableDef = {
  name: 'security_token_events',
  columns: [
    c('event_name', 'text'),
    c('event_signature', 'text'),
    c('block_number', 'int'),
    c('block_hash', 'hash'),
    c('transaction_hash', 'hash'),
    c('transaction_index', 'int'),
    c('log_index', 'int'),
    c('token_address', 'address'),
    c('partition', 'hash'),
    c('to_partition', 'hash'),
    c('operator', 'address'),
    c('from_address', 'address'),
    c('to_address', 'address'),
    c('amount', 'uint256'),
    c('data', 'text'),
    c('operator_data', 'text'),
    c('document_name', 'hash'),
    c('document_uri', 'text'),
    c('document_hash', 'hash'),
    c('decoded', 'bool'),
    c('topics', 'text'),
    c('log_data', 'text'),
  ],
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

const contracts: TableDef = {
  name: 'contracts',
  columns: [
    c('address', 'address'),
    c('bytecode', 'text'),
    c('function_sighashes', 'text'),
    c('is_erc20', 'bool'),
    c('is_erc721', 'bool'),
    c('block_number', 'int'),
  ],
  blockColumn: 'block_number',
  distKey: 'address',
  sortKey: ['block_number'],
};

const tokens: TableDef = {
  name: 'tokens',
  columns: [
    c('address', 'address'),
    c('symbol', 'text'),
    c('name', 'text'),
    c('decimals', 'uint256'),
    c('total_supply', 'uint256'),
    c('block_number', 'int'),
  ],
  blockColumn: 'block_number',
  distKey: 'ALL',
  sortKey: ['block_number'],
};

const traces: TableDef = {
  name: 'traces',
  columns: [
    c('block_number', 'int'),
    c('transaction_hash', 'hash'),
    c('transaction_index', 'int'),
    c('from_address', 'address'),
    c('to_address', 'address'),
    c('value', 'uint256'),
    c('input', 'text'),
    c('output', 'text'),
    c('trace_type', 'text'),
    c('call_type', 'text'),
    c('reward_type', 'text'),
    c('gas', 'uint64'),
    c('gas_used', 'uint64'),
    c('subtraces', 'int'),
    c('trace_address', 'text'),
    c('error', 'text'),
    c('status', 'int'),
    c('trace_id', 'text'),
  ],
  blockColumn: 'block_number',
  distKey: 'block_number',
  sortKey: ['block_number'],
};

export const TABLE_DEFS: Readonly<Record<WarehouseTableName, TableDef>> = {
  blocks,
  transactions,
  receipts,
  logs,
  token_transfers: tokenTransfers,
  erc1155_transfers: erc1155Transfers,
  security_token_events: securityTokenEvents,
  contracts,
  tokens,
  traces,
};

export function isWarehouseTable(name: string): name is WarehouseTableName {
  return (WAREHOUSE_TABLES as readonly string[]).includes(name);
}
