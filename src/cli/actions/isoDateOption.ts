import { InvalidInputError } from '../../errors/LedgerflowError.js';
import { isIsoDate } from '../../workflows/dates.js';

/** A command-line day, checked once for every command: `name` is the option as the user typed it. */
export function isoDate(value: string, name: string): string {
  if (!isIsoDate(value)) throw new InvalidInputError(`${name} is not a calendar day: ${value}`, { fix: 'pass days as YYYY-MM-DD (UTC)' });
  return value;
}
