import { stringify } from 'csv-stringify/sync';
import type { Row, RowFormat } from './types.js';
import { csvCell } from './csvCell.js';

/**
 * ethereum-etl CSV with LF line endings: header line, Python `csv` minimal quoting (only cells
 * holding `,`, `"`, CR or LF are quoted, quotes doubled). Empty string and null both render empty.
 */
// csv-stringify quotes the record delimiter (LF) but not a lone CR, which Python's writer quotes.
const OPTIONS = { record_delimiter: 'unix', quoted_match: /\r/ } as const;

export const csvFormat: RowFormat = {
  name: 'csv',
  extension: 'csv',
  header: (columns) => stringify([columns as string[]], OPTIONS),
  row(columns, row: Row) {
    const cells = new Array<string>(columns.length);
    for (let i = 0; i < columns.length; i++) cells[i] = csvCell(row[columns[i] as string]);
    return stringify([cells], OPTIONS);
  },
};
