// Pure calendar arithmetic on UTC days written as YYYY-MM-DD; safe inside the workflow sandbox
// because it only converts the timestamps it is given.

const DAY_MS = 86_400_000;

export function isIsoDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const time = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === date;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` inclusive; 0 when `to` is before `from`. */
export function daysBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1);
}

/**
 * The day a scheduled run exports: the last UTC day that ended at or before the nominal time.
 * A schedule firing at 00:30 UTC on day D+1 exports day D; so does a backfill action for that
 * nominal time, whenever it actually runs.
 */
export function dayBeforeNominal(nominal: Date): string {
  const midnight = Math.floor(nominal.getTime() / DAY_MS) * DAY_MS;
  return new Date(midnight - DAY_MS).toISOString().slice(0, 10);
}
