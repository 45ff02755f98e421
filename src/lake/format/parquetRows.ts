import { parquetMetadataAsync, parquetRead, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import type { EntityName } from '../../chain/entities/registry.js';
import { schemaOf } from '../../chain/entities/registry.js';
import type { Cell, Row } from '../../chain/rows.js';
import { parquetColumns } from './parquetSchema.js';

export interface ParquetRowReader {
  /** The file's top-level columns, in file order. */
  readonly columns: readonly string[];
  /** Rows the footer declares. */
  readonly rows: number;
  /** Each row group's rows as cells, in file order: memory holds one row group at a time. */
  rowGroups(): AsyncGenerator<Row[]>;
}

/**
 * Reads a lake Parquet object back into the cells the export wrote, by the entity's column
 * encodings (parquetSchema.ts): each cell's CSV text is the CSV export's. A column the entity does
 * not know comes back as decoded.
 */
export async function openParquetRows(file: AsyncBuffer, entity: EntityName): Promise<ParquetRowReader> {
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const known = new Map(parquetColumns(entity, schemaOf(entity)).map((column) => [column.name, column.toCell]));
  const toCells = columns.map((name) => known.get(name) ?? ((value: unknown) => value as Cell));
  return {
    columns,
    rows: Number(metadata.num_rows),
    async *rowGroups() {
      let start = 0;
      for (const group of metadata.row_groups) {
        const end = start + Number(group.num_rows);
        const values = await readRows(file, metadata, start, end);
        yield values.map((value) => {
          const row: Record<string, Cell> = {};
          for (let i = 0; i < columns.length; i++) row[columns[i] as string] = (toCells[i] as (value: unknown) => Cell)(value[i]);
          return row;
        });
        start = end;
      }
    },
  };
}

function readRows(file: AsyncBuffer, metadata: FileMetaData, rowStart: number, rowEnd: number): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    parquetRead({
      file,
      metadata,
      rowStart,
      rowEnd,
      // Milliseconds stay exact integers: toCell turns them back into the seconds exported.
      parsers: { timestampFromMilliseconds: (millis: bigint) => millis },
      onComplete: (rows: unknown[][]) => resolve(rows),
    }).catch(reject);
  });
}
