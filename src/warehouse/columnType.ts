import { listElementType, type ColumnType, type ScalarColumnType } from '../chain/columnTypes.js';
import type { Dialect } from './types.js';

/**
 * Physical types per dialect. Redshift's DECIMAL stops at 38 digits, so uint256 values (up to 78
 * digits) are stored there as their exact decimal text in VARCHAR(78): lossless, sortable by
 * length-then-text, castable to DECIMAL(38,0) where a model knows the values are small; `wei`
 * amounts are bounded below 10^38 and stay DECIMAL(38,0). Redshift VARCHAR is capped at 65535
 * bytes; longer hex (rare calldata, bytecode) fails the load loudly instead of being truncated
 * (no TRUNCATECOLUMNS). Lists, JSON and timestamps are kept as the lake files write them: text
 * (lists comma-joined, JSON compact) and unix seconds.
 */
const POSTGRES: Record<ScalarColumnType, string> = {
  int64: 'BIGINT',
  timestamp: 'BIGINT',
  uint64: 'NUMERIC(20,0)',
  uint256: 'NUMERIC(78,0)',
  wei: 'NUMERIC(78,0)',
  hash: 'TEXT',
  address: 'TEXT',
  bytes: 'TEXT',
  string: 'TEXT',
  json: 'TEXT',
  bool: 'BOOLEAN',
  float64: 'DOUBLE PRECISION',
};

const REDSHIFT: Record<ScalarColumnType, string> = {
  int64: 'BIGINT',
  timestamp: 'BIGINT',
  uint64: 'DECIMAL(20,0)',
  uint256: 'VARCHAR(78)',
  wei: 'DECIMAL(38,0)',
  hash: 'VARCHAR(66)',
  address: 'VARCHAR(42)',
  bytes: 'VARCHAR(65535)',
  string: 'VARCHAR(65535)',
  json: 'VARCHAR(65535)',
  bool: 'BOOLEAN',
  float64: 'DOUBLE PRECISION',
};

export function columnType(type: ColumnType, dialect: Dialect): string {
  // A list cell is its elements joined by commas: unbounded text whatever the element type.
  const scalar: ScalarColumnType = listElementType(type) === undefined ? (type as ScalarColumnType) : 'string';
  return (dialect === 'postgres' ? POSTGRES : REDSHIFT)[scalar];
}

/** Quoted column name: ethereum-etl uses words some dialects reserve (`timestamp`, `partition`). */
export function col(name: string): string {
  return `"${name}"`;
}
