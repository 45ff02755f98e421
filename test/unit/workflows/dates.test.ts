import { describe, expect, it } from 'vitest';
import { splitIntoGroups } from '../../../src/workflows/dailyEtl.js';
import { addDays, dayBeforeNominal, daysBetween, isIsoDate } from '../../../src/workflows/dates.js';

describe('workflow date rules', () => {
  it('a run firing at 00:30 UTC on day D+1 exports day D', () => {
    expect(dayBeforeNominal(new Date('2024-03-01T00:30:00Z'))).toBe('2024-02-29');
    expect(dayBeforeNominal(new Date('2024-01-01T00:00:00Z'))).toBe('2023-12-31');
    expect(dayBeforeNominal(new Date('2024-01-01T23:59:59Z'))).toBe('2023-12-31');
  });

  it('accepts only real calendar days', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate('2024-01-01T00:00:00Z')).toBe(false);
  });

  it('counts and steps days across month and year ends', () => {
    expect(addDays('2023-12-31', 1)).toBe('2024-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-01-30', '2024-02-02')).toBe(4);
    expect(daysBetween('2024-02-02', '2024-01-30')).toBe(0);
  });
});

describe('splitIntoGroups', () => {
  const chunks = Array.from({ length: 7 }, (_, index) => ({ chainId: 1, date: '2024-01-01', index, range: { start: index * 10, end: index * 10 + 9 } }));

  it('makes at most `parallelism` contiguous groups of near-equal size, in order', () => {
    const groups = splitIntoGroups(chunks, 3);
    expect(groups.map((g) => g.map((c) => c.index))).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
  });

  it('never makes empty groups or fewer than one', () => {
    expect(splitIntoGroups(chunks.slice(0, 2), 8)).toHaveLength(2);
    expect(splitIntoGroups(chunks, 0)).toHaveLength(1);
    expect(splitIntoGroups([], 4)).toEqual([]);
  });
});
