import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { Column } from '../../chain/columnTypes.js';
import type { Row } from '../../chain/rows.js';
import { parquetColumns, parquetSchema, type ParquetColumn } from './parquetSchema.js';

/**
 * Where a row group ends. Both limits depend only on the rows, never on timing or the machine,
 * so the same rows always cut into the same groups and give the same bytes. The text limit
 * bounds memory on rows with large cells (contract creations, traces): a group's cells, their
 * column arrays and its encoded bytes are all that is held at once.
 */
export const PARQUET_ROW_GROUP_ROWS = 20_000;
export const PARQUET_ROW_GROUP_TEXT_CHARS = 8 * 2 ** 20;
/** The file's created_by: fixed, so it never varies by machine, run or build. */
export const PARQUET_CREATED_BY = 'ledgerflow';

export interface ParquetEncoderOptions {
  rowGroupRows?: number;
  rowGroupTextChars?: number;
}

/**
 * Rows in, Parquet bytes out, one row group at a time: `push` hands back the bytes of a row
 * group as soon as a row completes one, `finish` the last group and the footer. No I/O, no
 * clock: snappy pages, dictionary and statistics choices follow from the rows alone, and no
 * key-value metadata is written.
 */
export class ParquetEncoder {
  private readonly columns: readonly ParquetColumn[];
  private readonly writer = new ByteWriter();
  private readonly parquet: ParquetWriter;
  private readonly groupRows: number;
  private readonly groupChars: number;
  private group: unknown[][];
  private groupSize = 0;
  private groupTextChars = 0;
  private finished = false;
  rows = 0;

  constructor(entity: string, columns: readonly Column[], options: ParquetEncoderOptions = {}) {
    this.columns = parquetColumns(entity, columns);
    this.groupRows = options.rowGroupRows ?? PARQUET_ROW_GROUP_ROWS;
    this.groupChars = options.rowGroupTextChars ?? PARQUET_ROW_GROUP_TEXT_CHARS;
    this.parquet = new ParquetWriter({ writer: this.writer, schema: parquetSchema(this.columns), codec: 'SNAPPY', createdBy: PARQUET_CREATED_BY });
    this.group = this.columns.map(() => []);
  }

  /** Adds one row; returns the bytes written so far when the row completed a row group. */
  push(row: Row): Uint8Array | undefined {
    if (this.finished) throw new Error('push after finish');
    for (let i = 0; i < this.columns.length; i++) {
      const column = this.columns[i] as ParquetColumn;
      const value = column.convert(row[column.name]);
      (this.group[i] as unknown[]).push(value);
      this.groupTextChars += textChars(value);
    }
    this.groupSize++;
    this.rows++;
    if (this.groupSize >= this.groupRows || this.groupTextChars >= this.groupChars) {
      this.writeGroup();
      return this.take();
    }
    return undefined;
  }

  /** The last row group (if any rows are left) and the footer: the end of the file. */
  finish(): Uint8Array {
    if (this.finished) throw new Error('finish called twice');
    this.finished = true;
    this.writeGroup();
    void this.parquet.finish();
    return this.take();
  }

  private writeGroup(): void {
    if (this.groupSize === 0) return;
    const columnData = this.columns.map((column, i) => ({ name: column.name, data: this.group[i] as unknown[], statistics: column.statistics }));
    // The writer is synchronous when its ByteWriter has no async flush, as here.
    void this.parquet.write({ columnData, rowGroupSize: this.groupSize });
    this.group = this.columns.map(() => []);
    this.groupSize = 0;
    this.groupTextChars = 0;
  }

  /** Moves the encoded bytes out, so the writer's buffer only ever holds one row group. */
  private take(): Uint8Array {
    const bytes = new Uint8Array(this.writer.buffer.slice(0, this.writer.index));
    this.writer.index = 0;
    return bytes;
  }
}

function textChars(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let total = 8;
    for (const item of value) total += textChars(item);
    return total;
  }
  return 8;
}
