/**
 * A cell as entities produce it. Formats decide the text: CSV writes integers in decimal, lists
 * comma-joined and null as empty (ethereum-etl rules); JSON lines keeps numbers and lists typed.
 * Integers are exact: a number when below 2^53 (most quantities), a bigint otherwise (uint256
 * values), so nothing is lost on the way to NUMERIC(78,0); both print as the same digits.
 */
export type Cell = string | number | bigint | boolean | null | PythonFloat | readonly Cell[] | CellObject;

/**
 * A value ethereum-etl holds as a Python float (only `l1_fee_scalar`), written with Python's
 * `repr`: `1.0`, `0.684`, `1e-07`. A plain JS number cannot say this: JSON numbers passed through
 * from a node (geth frames) are Python ints when integral, so `number` keeps meaning "as parsed".
 */
export class PythonFloat {
  constructor(readonly value: number) {}
}

/**
 * A nested object kept in one cell (block withdrawals, geth call frames). Key order is the
 * order written: compact JSON inside a CSV cell, spaced JSON in JSON lines.
 */
export interface CellObject {
  readonly [key: string]: Cell | undefined;
}
export type Row = Readonly<Record<string, Cell>>;

/** Where an entity's rows go, in export order. Implementations buffer and stream. */
export interface RowSink {
  write(row: Row): void | Promise<void>;
  /** Flushes and publishes the output under its final name; returns what was written. */
  close(): Promise<SinkResult>;
  /** Discards everything written; no partial output may remain under the final name. */
  abort(reason?: unknown): Promise<void>;
}

export interface SinkResult {
  rows: number;
  bytes: number;
  sha256: string;
  /** Final location: a file path or an s3:// URL. */
  location: string;
}
