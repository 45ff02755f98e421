import type { EntityName } from '../../chain/entities/registry.js';
import { columnsOf } from '../../chain/entities/registry.js';
import { createFileSink } from '../fileSink.js';
import { csvFormat } from './csvFormat.js';
import { jsonFormat } from './jsonFormat.js';
import { createParquetFileSink } from './parquetSink.js';
import type { FileFormatName, FormatName, RowFormat, RowSink } from './types.js';

export const FORMATS: Readonly<Record<FormatName, RowFormat>> = { csv: csvFormat, json: jsonFormat };

/** Every format a local export can write, in the order the CLI lists them. */
export const FILE_FORMAT_NAMES: readonly FileFormatName[] = ['csv', 'json', 'parquet'];

export function formatByName(name: FormatName): RowFormat {
  return FORMATS[name];
}

export function isFileFormatName(name: string): name is FileFormatName {
  return (FILE_FORMAT_NAMES as readonly string[]).includes(name);
}

/** The file extension of a format, without the dot. */
export function fileExtension(name: FileFormatName): string {
  return name === 'parquet' ? 'parquet' : FORMATS[name].extension;
}

/** A sink writing one entity's rows to a local file in the given format. */
export function openEntityFileSink(filePath: string, entity: EntityName, name: FileFormatName): RowSink {
  return name === 'parquet' ? createParquetFileSink(filePath, entity) : createFileSink(filePath, FORMATS[name], columnsOf(entity));
}
