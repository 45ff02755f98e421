import { InvalidInputError } from '../errors/LedgerflowError.js';
import type { TimeWindow } from './parseModel.js';

const DAY = 86_400;
const WEEK = 7 * DAY;
/** 1970-01-05, the first Monday after the epoch. */
const MONDAY = 4 * DAY;

/** The window an incremental run for one UTC day rebuilds: the day's hours and day, and its week. */
export function dayWindow(date: string): TimeWindow {
  const ms = Date.parse(`${date}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(ms)) {
    throw new InvalidInputError(`Date ${date} is not a UTC day in YYYY-MM-DD form`, { fix: 'pass a date such as 2024-01-31' });
  }
  return spanWindow(ms / 1000, ms / 1000);
}

/** The window covering every day from the one holding `fromSeconds` to the one holding `toSeconds`. */
export function spanWindow(fromSeconds: number, toSeconds: number): TimeWindow {
  const firstDay = fromSeconds - mod(fromSeconds, DAY);
  const lastDay = toSeconds - mod(toSeconds, DAY);
  const firstWeek = firstDay - mod(firstDay - MONDAY, WEEK);
  const lastWeek = lastDay - mod(lastDay - MONDAY, WEEK);
  return { hourFrom: firstDay, hourTo: lastDay + DAY, weekFrom: firstWeek, weekTo: lastWeek + WEEK };
}

function mod(a: number, b: number): number {
  return ((a % b) + b) % b;
}
