import { InvalidInputError } from '../errors/LedgerflowError.js';

/** Throws a non-retryable InvalidInputError unless `date` is a real calendar day as YYYY-MM-DD. */
export function assertIsoDate(date: string): void {
  const time = Date.parse(`${date}T00:00:00Z`);
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(date) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(date);
  if (!ok) {
    throw new InvalidInputError('Not a calendar day', { context: { date }, fix: 'pass the day as YYYY-MM-DD (UTC)' });
  }
}
