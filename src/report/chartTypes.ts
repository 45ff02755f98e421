import type { AmountFormat } from './formatAmount.js';

/** One line or one set of bars: exact decimal text per bucket, null where the bucket has no figure. */
export interface ChartSeries {
  name: string;
  values: ReadonlyArray<string | null>;
}

export interface ChartSpec {
  /** Unique in the report, [a-z0-9-]: anchors and test hooks. */
  id: string;
  title: string;
  /** One sentence under the title: what is counted and how. */
  note?: string;
  kind: 'bars' | 'lines';
  /** Bucket starts, `YYYY-MM-DDTHH:MM:SS` UTC, the same length as every series. */
  buckets: readonly string[];
  grain: string;
  series: readonly ChartSeries[];
  format: AmountFormat;
}

/** A table of exact figures beside a chart; cells are raw text, numeric cells are formatted with their column's format. */
export interface DetailTable {
  caption: string;
  columns: ReadonlyArray<{ label: string; format?: AmountFormat }>;
  rows: ReadonlyArray<ReadonlyArray<string | null>>;
}
