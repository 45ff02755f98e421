const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A bucket start as an axis label: `Jan 2` at midnight and `06:00` at other hours, `Jan 2` for days, `w/c Jan 1` for weeks. */
export function bucketLabel(bucketStart: string, grain: string): string {
  const month = MONTHS[Number(bucketStart.slice(5, 7)) - 1] ?? bucketStart.slice(5, 7);
  const day = `${month} ${Number(bucketStart.slice(8, 10))}`;
  if (grain === 'hour') return bucketStart.slice(11, 16) === '00:00' ? day : bucketStart.slice(11, 16);
  if (grain === 'week') return `w/c ${day}`;
  return day;
}

/** A bucket start as readers write it: `2024-01-02 06:00 UTC`, or the day alone for days and weeks. */
export function bucketText(bucketStart: string, grain: string): string {
  return grain === 'hour' ? `${bucketStart.slice(0, 10)} ${bucketStart.slice(11, 16)} UTC` : bucketStart.slice(0, 10);
}

const HOUR_STEPS = [1, 2, 3, 6, 12, 24];

/**
 * Which buckets get an x-axis label, at most `max` of them: hours on round clock steps (every
 * 6 or 12 hours), so labels fall on the same times every day; days and weeks evenly.
 */
export function labelledBuckets(buckets: readonly string[], grain: string, max: number): boolean[] {
  if (grain === 'hour') {
    const step = HOUR_STEPS.find((h) => buckets.length / h <= max) ?? 24 * Math.ceil(buckets.length / (24 * max));
    return buckets.map((b) => (Number(b.slice(11, 13)) + 24 * Math.round(Date.parse(`${b.slice(0, 10)}T00:00:00Z`) / 86_400_000)) % step === 0);
  }
  const every = Math.ceil(buckets.length / max);
  return buckets.map((_, i) => i % every === 0);
}
