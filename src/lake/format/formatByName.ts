import { csvFormat } from './csvFormat.js';
import { jsonFormat } from './jsonFormat.js';
import type { FormatName, RowFormat } from './types.js';

export const FORMATS: Readonly<Record<FormatName, RowFormat>> = { csv: csvFormat, json: jsonFormat };

export function formatByName(name: FormatName): RowFormat {
  return FORMATS[name];
}
