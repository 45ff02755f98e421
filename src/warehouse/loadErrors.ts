import { LedgerflowError } from '../errors/LedgerflowError.js';

export type ManifestCheck = 'missing' | 'sha256' | 'bytes' | 'rows' | 'range' | 'format' | 'columns';

/**
 * A lake file does not match what the day manifest promises (absent, other bytes, other row
 * count, rows outside the day's block range). Retrying the load cannot help: the day must be
 * re-exported and re-sealed. The target table is left as it was.
 */
export class ManifestMismatchError extends LedgerflowError {
  override readonly name = 'ManifestMismatchError';
  readonly retryable = false;
  readonly check: ManifestCheck;

  constructor(fields: {
    check: ManifestCheck;
    table: string;
    key: string;
    date: string;
    expected: string | number;
    actual: string | number;
    cause?: unknown;
  }) {
    super(`Lake file ${fields.key} fails the ${fields.check} check for table ${fields.table}: expected ${fields.expected}, got ${fields.actual}`, {
      context: { table: fields.table, date: fields.date, key: fields.key },
      fix: `re-export and re-seal ${fields.date} (ledgerflow run-day --date ${fields.date}), then load it again; the table was not changed`,
      cause: fields.cause,
    });
    this.check = fields.check;
  }
}
