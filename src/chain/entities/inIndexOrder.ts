import { quantity } from '../decode/hexToInt.js';

/**
 * Items by a hex index field (transactionIndex, logIndex), stably. Nodes almost always answer in
 * order already, so one pass checks that and the list comes back as is, without a copy; only an
 * out-of-order answer is sorted. Absent or unreadable indexes count as 0.
 */
export function inIndexOrder<T>(items: readonly T[], indexOf: (item: T) => unknown): readonly T[] {
  let previous = -Infinity;
  for (const item of items) {
    const index = position(indexOf(item));
    if (index < previous) return [...items].sort((a, b) => position(indexOf(a)) - position(indexOf(b)));
    previous = index;
  }
  return items;
}

function position(value: unknown): number {
  const parsed = quantity(value);
  return typeof parsed === 'number' ? parsed : typeof parsed === 'bigint' ? Number(parsed) : 0;
}
