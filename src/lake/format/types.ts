import type { Row } from '../../chain/rows.js';

// Rows are what chain/ produces; the lake only writes them, so their types live there.
export { PythonFloat, type Cell, type CellObject, type Row, type RowSink, type SinkResult } from '../../chain/rows.js';

export type FormatName = 'csv' | 'json';
/** Every format an export writes: the line formats above, and Parquet, which has its own sink. */
export type FileFormatName = FormatName | 'parquet';
/** The formats a lake may hold and a warehouse loads: gzip CSV (the default) and Parquet. */
export const LAKE_FORMAT_NAMES = ['csv', 'parquet'] as const;
export type LakeFormatName = (typeof LAKE_FORMAT_NAMES)[number];

export interface RowFormat {
  readonly name: FormatName;
  /** File extension without the dot: `csv` or `json`. */
  readonly extension: string;
  /** Text before the first row (CSV header line with its LF; empty for JSON lines). */
  header(columns: readonly string[]): string;
  /** One row as a complete line ending in LF, columns in the given order. */
  row(columns: readonly string[], row: Row): string;
}
