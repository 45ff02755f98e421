/**
 * The logical type of one entity column: what its values mean, whatever the file format or the
 * warehouse. Formats and dialects map these to physical types (CSV text, Parquet types,
 * PostgreSQL and Redshift columns); entities only say what a column holds.
 *
 * Integer cells are a number below 2^53 or a bigint; a quantity a node sent malformed (`"0x"`)
 * is kept verbatim as a string, as ethereum-etl keeps it, so writers must accept that too.
 */
export type ScalarColumnType =
  /** Any unsigned integer up to 2^256-1 (78 digits): token amounts, ids, supplies, difficulty. */
  | 'uint256'
  /** Fits a signed 64-bit integer: block numbers, indexes, gas, counts, unix seconds. */
  | 'int64'
  /** Fits an unsigned 64-bit integer but may exceed int64: nonces, trace gas. */
  | 'uint64'
  /**
   * An amount of wei: uint256 in the protocol, but bounded by the ETH supply (a sender must
   * afford it), so always below 10^38: prices and fees.
   */
  | 'wei'
  /** A 20-byte account address as 0x-prefixed hex (lower-cased unless the entity says verbatim). */
  | 'address'
  /** A 32-byte hash or word as 0x-prefixed hex. */
  | 'hash'
  /** Hex data of any length, 0x-prefixed: calldata, bytecode, bloom filters, nonces of blocks. */
  | 'bytes'
  /** Text: names, symbols, enum-like words (trace_type), error messages. */
  | 'string'
  | 'bool'
  /** A binary64 float: only `l1_fee_scalar` (a PythonFloat, or the node's text when not a number). */
  | 'float64'
  /** Unix seconds of a block (an int64 whose meaning is a point in time). */
  | 'timestamp'
  /** A nested object or list of objects kept whole in one cell (withdrawals, call frames). */
  | 'json';

/**
 * A list cell: every element has the scalar type before `[]` (topics, trace addresses). The
 * cell itself is a list, empty when there is nothing; CSV joins the elements with commas.
 */
export type ListColumnType = `${Exclude<ScalarColumnType, 'json'>}[]`;

export type ColumnType = ScalarColumnType | ListColumnType;

/** One column of an entity, in the order of its files. */
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** Whether a well-behaved node can leave the cell null (absent field, older fork, other source). */
  readonly nullable: boolean;
}

export const SCALAR_COLUMN_TYPES: readonly ScalarColumnType[] = [
  'uint256', 'int64', 'uint64', 'wei', 'address', 'hash', 'bytes', 'string', 'bool', 'float64', 'timestamp', 'json',
];

export function isColumnType(text: string): text is ColumnType {
  const scalars: readonly string[] = SCALAR_COLUMN_TYPES;
  if (!text.endsWith('[]')) return scalars.includes(text);
  const element = text.slice(0, -2);
  return element !== 'json' && scalars.includes(element);
}

/** The element type of a list column, or undefined for a scalar one. */
export function listElementType(type: ColumnType): ScalarColumnType | undefined {
  return type.endsWith('[]') ? (type.slice(0, -2) as ScalarColumnType) : undefined;
}

/** A column every row fills. */
export function required(name: string, type: ColumnType): Column {
  return { name, type, nullable: false };
}

/** A column a row may leave null. */
export function nullable(name: string, type: ColumnType): Column {
  return { name, type, nullable: true };
}
