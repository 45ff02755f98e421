import type { Row, RowFormat } from './types.js';
import { pythonJson, pythonJsonString } from './pythonJson.js';

/**
 * ethereum-etl JSON lines: one object per line in column order, keys absent from the row
 * omitted, Python `json.dumps` spacing and ASCII escaping, integers unquoted at any size.
 */
export const jsonFormat: RowFormat = {
  name: 'json',
  extension: 'json',
  header: () => '',
  row(columns, row: Row) {
    const parts: string[] = [];
    for (const column of columns) {
      const value = row[column];
      if (value === undefined) continue;
      parts.push(`${pythonJsonString(column)}: ${pythonJson(value)}`);
    }
    return `{${parts.join(', ')}}\n`;
  },
};
