import type { SchemaElement } from 'hyparquet-writer';
import { listElementType, type Column, type ScalarColumnType } from '../../chain/columnTypes.js';
import { type Cell, PythonFloat } from '../../chain/rows.js';
import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { csvCell } from './csvCell.js';
import { pythonJson } from './pythonJson.js';

/**
 * How one entity column is stored in Parquet (docs/parquet.md has the table):
 * - uint256 and wei: exact decimal text, as in the CSV (INT64 cannot hold them, and DECIMAL
 *   would refuse the verbatim text a malformed node answer is kept as);
 * - int64: INT64; uint64 (nonces, trace gas): INT64 annotated unsigned, so a value above
 *   2^63 stays exact (no min/max statistics there: readers that ignore the annotation would
 *   compare them signed and skip row groups wrongly);
 * - timestamp: INT64 TIMESTAMP(MILLIS, UTC), since Parquet has no unit of seconds;
 * - address, hash, bytes, string: UTF-8 text, hex lower-cased exactly as in the CSV;
 * - bool: BOOLEAN; float64: DOUBLE; json: compact JSON text;
 * - `T[]`: a 3-level LIST of T's element, the list itself never null.
 * A column is OPTIONAL when the entity says a node may leave it null, REQUIRED otherwise.
 */
export interface ParquetColumn {
  readonly name: string;
  /** The column's schema elements: one leaf, or the LIST group, its repeated group and leaf. */
  readonly elements: readonly SchemaElement[];
  /** Whether min/max statistics are written (off where the writer would order values wrongly). */
  readonly statistics: boolean;
  /** The value the writer takes for a cell; throws a one-line error for a cell it cannot store. */
  readonly convert: (cell: Cell | undefined) => unknown;
  /**
   * The cell back from the value a reader decodes (hyparquet, timestamps left as bigint
   * milliseconds): its CSV text is the CSV export's, so a Parquet object loads as its CSV twin.
   */
  readonly toCell: (value: unknown) => Cell;
}

export function parquetColumns(entity: string, columns: readonly Column[]): ParquetColumn[] {
  return columns.map((column) => parquetColumn(entity, column));
}

/** The whole file schema: the root group, then every column's elements in file order. */
export function parquetSchema(columns: readonly ParquetColumn[]): SchemaElement[] {
  return [{ name: 'root', num_children: columns.length }, ...columns.flatMap((c) => c.elements)];
}

function parquetColumn(entity: string, column: Column): ParquetColumn {
  const where = `${entity}.${column.name}`;
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  const element = listElementType(column.type);
  if (element !== undefined) {
    const leaf = scalar(where, element);
    return {
      name: column.name,
      elements: [
        { name: column.name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', repetition_type: 'REQUIRED', ...leaf.physical },
      ],
      statistics: leaf.statistics,
      convert(cell) {
        if (cell === null || cell === undefined) return nullCell(where, column.nullable);
        if (!Array.isArray(cell)) throw unstorable(where, cell, `a list of ${element}`);
        return (cell as readonly Cell[]).map((item) => (item === null ? nullCell(`${where}[]`, false) : leaf.convert(item)));
      },
      toCell: (value) => (value === null || value === undefined ? null : (value as readonly unknown[]).map((item) => leaf.toCell(item))),
    };
  }
  const leaf = scalar(where, column.type as ScalarColumnType);
  return {
    name: column.name,
    elements: [{ name: column.name, repetition_type, ...leaf.physical }],
    statistics: leaf.statistics,
    convert: (cell) => (cell === null || cell === undefined ? nullCell(where, column.nullable) : leaf.convert(cell)),
    toCell: (value) => (value === null || value === undefined ? null : leaf.toCell(value)),
  };
}

interface Scalar {
  physical: Omit<SchemaElement, 'name' | 'repetition_type'>;
  statistics: boolean;
  convert(cell: Cell): unknown;
  /** Strings, bigints and booleans come back as the cells they were. */
  toCell(value: unknown): Cell;
}

const asCell = (value: unknown): Cell => value as Cell;

const TEXT: Scalar['physical'] = { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
const INT64_MIN = -(2n ** 63n);
const INT64_END = 2n ** 63n;
const UINT64_END = 2n ** 64n;

function scalar(where: string, type: ScalarColumnType): Scalar {
  switch (type) {
    case 'int64':
      return { physical: { type: 'INT64' }, statistics: true, convert: (cell) => int64(where, cell, 'int64'), toCell: asCell };
    case 'uint64':
      return {
        // The converted type alone: hyparquet-writer 0.17.0 writes the INTEGER logical type's
        // bit width as a Thrift i32 where the format says i8, and DuckDB then refuses the footer.
        physical: { type: 'INT64', converted_type: 'UINT_64' },
        statistics: false,
        convert(cell) {
          const value = integer(where, cell, 'uint64');
          if (value < 0n || value >= UINT64_END) throw unstorable(where, cell, 'a uint64');
          // The writer stores the unsigned value's bits in the INT64 itself.
          return value;
        },
        toCell: asCell,
      };
    case 'timestamp':
      return {
        physical: { type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
        statistics: true,
        convert: (cell) => int64(where, cell, 'unix time in seconds') * 1000n,
        // Whole seconds were stored, so the division is exact.
        toCell: (value) => (value as bigint) / 1000n,
      };
    case 'bool':
      return {
        physical: { type: 'BOOLEAN' },
        statistics: true,
        convert(cell) {
          if (typeof cell !== 'boolean') throw unstorable(where, cell, 'a boolean');
          return cell;
        },
        toCell: asCell,
      };
    case 'float64':
      return {
        physical: { type: 'DOUBLE' },
        statistics: true,
        convert(cell) {
          if (cell instanceof PythonFloat) return cell.value;
          if (typeof cell === 'number') return cell;
          throw unstorable(where, cell, 'a float');
        },
        toCell: (value) => new PythonFloat(value as number),
      };
    case 'json':
      return { physical: TEXT, statistics: true, convert: (cell) => pythonJson(cell, true), toCell: (value) => csvTextOfJson(value as string) };
    case 'uint256':
    case 'wei':
    case 'address':
    case 'hash':
    case 'bytes':
    case 'string':
      return { physical: TEXT, statistics: true, convert: (cell) => (typeof cell === 'string' ? cell : csvCell(cell)), toCell: asCell };
  }
}

/**
 * The CSV cell of a JSON cell, from its compact JSON text: the CSV joins a list's items with
 * commas and no brackets (ethereum-etl's rule for withdrawals) and writes a string bare; an object
 * or a number is the same text in both.
 */
function csvTextOfJson(text: string): string {
  if (text.startsWith('[') && text.endsWith(']')) return text.slice(1, -1);
  if (text.startsWith('"')) return JSON.parse(text) as string;
  return text;
}

function int64(where: string, cell: Cell, what: string): bigint {
  const value = integer(where, cell, what);
  if (value < INT64_MIN || value >= INT64_END) throw unstorable(where, cell, `${what} within int64`);
  return value;
}

function integer(where: string, cell: Cell, what: string): bigint {
  if (typeof cell === 'bigint') return cell;
  if (typeof cell === 'number' && Number.isSafeInteger(cell)) return BigInt(cell);
  throw unstorable(where, cell, what);
}

function nullCell(where: string, nullable: boolean): null {
  if (nullable) return null;
  throw new InvalidInputError(`${where} is null, but the column is required in Parquet`, { fix: csvFix });
}

function unstorable(where: string, cell: Cell, expected: string): InvalidInputError {
  const shown = typeof cell === 'object' && cell !== null && !(cell instanceof PythonFloat) ? pythonJson(cell, true) : csvCell(cell);
  return new InvalidInputError(`${where} holds ${JSON.stringify(shown.slice(0, 80))}, not ${expected}: Parquet cannot store it in that column's type`, { fix: csvFix });
}

// CSV and JSON lines keep what a node sent verbatim, malformed or not.
const csvFix = 'export this range with --format csv or json, which keep malformed node values as text';
