import { InvalidInputError } from '../../errors/LedgerflowError.js';

/** Seconds since the epoch of `date` 00:00:00 UTC; rejects anything but a real YYYY-MM-DD day. */
export function parseUtcDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new InvalidInputError(`invalid date ${JSON.stringify(date)}`, { fix: 'pass a calendar date as YYYY-MM-DD, e.g. 2024-03-01' });
  }
  return ms / 1000;
}
