import type { Row, RowFormat } from './types.js';
import { csvCell } from './csvCell.js';

// Python's csv writer (excel dialect, QUOTE_MINIMAL) quotes a field only when it holds the
// delimiter, the quote character, CR or LF, and doubles embedded quotes. csv-stringify does the
// same but costs ~17 µs per row through its per-call option handling, 3.5x the cost of mapping
// the row (bench/export, docs/performance-export.md); this is the whole rule instead.
function quote(cell: string): string {
  // Four indexOf scans cost ~35 ns on a typical hash or address cell where /[",\r\n]/.test costs
  // ~60: about 1.3 µs of the ~15 a block's CSV lines take (docs/performance-export.md).
  const plain = cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0;
  return plain ? cell : `"${cell.replaceAll('"', '""')}"`;
}

/**
 * ethereum-etl CSV with LF line endings: header line, Python `csv` minimal quoting (only cells
 * holding `,`, `"`, CR or LF are quoted, quotes doubled). Empty string and null both render empty.
 */
export const csvFormat: RowFormat = {
  name: 'csv',
  extension: 'csv',
  header: (columns) => `${columns.map(quote).join(',')}\n`,
  row(columns, row: Row) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) line += ',';
      const value = row[columns[i] as string];
      // Integers and null are most cells and never need quotes: skip the generic path for them.
      if (typeof value === 'bigint') line += value.toString();
      else if (typeof value === 'number' && Number.isSafeInteger(value)) line += String(value);
      else if (value !== null && value !== undefined) line += quote(typeof value === 'string' ? value : csvCell(value));
    }
    return `${line}\n`;
  },
};
