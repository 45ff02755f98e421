import type { ColumnKind } from './tables.js';
import type { Dialect } from './types.js';

/**
 * Physical types per dialect. Redshift's DECIMAL stops at 38 digits, so uint256 values (up to 78
 * digits) are stored there as their exact decimal text in VARCHAR(78): lossless, sortable by
 * length-then-text, castable to DECIMAL(38,0) where a model knows the values are small.
 * Redshift VARCHAR is capped at 65535 bytes; longer hex (rare calldata, bytecode) fails the load
 * loudly instead of being truncated (no TRUNCATECOLUMNS).
 */
const POSTGRES: Record<ColumnKind, string> = {
  int: 'BIGINT',
  uint64: 'NUMERIC(20,0)',
  uint256: 'NUMERIC(78,0)',
  wei: 'NUMERIC(78,0)',
  hash: 'TEXT',
  address: 'TEXT',
  text: 'TEXT',
  bool: 'BOOLEAN',
  float: 'DOUBLE PRECISION',
};

const REDSHIFT: Record<ColumnKind, string> = {
  int: 'BIGINT',
  uint64: 'DECIMAL(20,0)',
  uint256: 'VARCHAR(78)',
  wei: 'DECIMAL(38,0)',
  hash: 'VARCHAR(66)',
  address: 'VARCHAR(42)',
  text: 'VARCHAR(65535)',
  bool: 'BOOLEAN',
  float: 'DOUBLE PRECISION',
};

export function columnType(kind: ColumnKind, dialect: Dialect): string {
  return (dialect === 'postgres' ? POSTGRES : REDSHIFT)[kind];
}

/** Quoted column name: ethereum-etl uses words some dialects reserve (`timestamp`, `partition`). */
export function col(name: string): string {
  return `"${name}"`;
}
