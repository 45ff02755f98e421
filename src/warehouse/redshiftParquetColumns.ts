import { listElementType, type ColumnType, type ScalarColumnType } from '../chain/columnTypes.js';
import { col, columnType } from './columnType.js';

/**
 * How a Parquet lake column lands on Redshift (docs/warehouse.md). COPY ... FORMAT AS PARQUET
 * takes the file's columns by position and needs a column type that accepts each Parquet type,
 * which the warehouse columns often are not (timestamps are BIGINT seconds there, lists comma-joined
 * text). So the load stages into columns shaped like the file, and the swap's INSERT converts each
 * one to exactly what the CSV load gives.
 *
 * Stage types, by the Parquet type parquetSchema.ts writes:
 * - INT64 -> BIGINT; INT64 (UINT_64) -> BIGINT too, its bits read signed, so the conversion adds
 *   2^64 to a negative value;
 * - INT64 TIMESTAMP(MILLIS, UTC) -> TIMESTAMP;
 * - BOOLEAN -> BOOLEAN; DOUBLE -> DOUBLE PRECISION;
 * - UTF-8 text -> VARCHAR as wide as the warehouse column's text (uint256 and wei decimal text
 *   in VARCHAR(78));
 * - LIST -> SUPER (Redshift loads Parquet's nested types into SUPER columns).
 */
export function redshiftParquetStageType(type: ColumnType): string {
  if (listElementType(type) !== undefined) return 'SUPER';
  switch (type as ScalarColumnType) {
    case 'int64':
    case 'uint64':
      return 'BIGINT';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'bool':
      return 'BOOLEAN';
    case 'float64':
      return 'DOUBLE PRECISION';
    case 'uint256':
    case 'wei':
      return 'VARCHAR(78)';
    default:
      return columnType(type, 'redshift');
  }
}

/**
 * The SELECT expression turning a staged Parquet column into the warehouse column's value as the
 * CSV load has it: empty text is NULL there (EMPTYASNULL), an empty list too, a list is its items
 * comma-joined, a JSON list cell its items without brackets.
 */
export function redshiftFromParquet(name: string, type: ColumnType): string {
  const c = col(name);
  if (listElementType(type) !== undefined) {
    // Items are hex words or integers: no quote, bracket or comma inside one to be taken away.
    return `NULLIF(TRANSLATE(JSON_SERIALIZE(${c}), '[]"', ''), '')`;
  }
  switch (type as ScalarColumnType) {
    case 'int64':
    case 'bool':
    case 'float64':
      return c;
    case 'uint64':
      return `CASE WHEN ${c} < 0 THEN CAST(${c} AS DECIMAL(20,0)) + 18446744073709551616 ELSE CAST(${c} AS DECIMAL(20,0)) END`;
    case 'timestamp':
      return `DATEDIFF(second, TIMESTAMP '1970-01-01 00:00:00', ${c})`;
    case 'wei':
      return `CAST(NULLIF(${c}, '') AS DECIMAL(38,0))`;
    case 'json':
      return `NULLIF(CASE WHEN LEFT(${c}, 1) = '[' THEN SUBSTRING(${c}, 2, LEN(${c}) - 2) ELSE ${c} END, '')`;
    default:
      return `NULLIF(${c}, '')`;
  }
}
