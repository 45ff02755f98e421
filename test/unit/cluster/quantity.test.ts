import { describe, expect, it } from 'vitest';
import { InvalidQuantityError, parseCpuMillis, parseMemoryBytes } from '../../../src/cluster/quantity.js';

describe('Kubernetes quantities', () => {
  it.each([
    ['500m', 500],
    ['2', 2000],
    ['1.5', 1500],
    ['100m', 100],
    ['0.1', 100],
    ['250000u', 250],
    ['3500000000n', 3500],
  ])('reads CPU %s as %i millicores', (quantity, millis) => {
    expect(parseCpuMillis(quantity)).toBe(millis);
  });

  it.each([
    ['512Mi', 512 * 2 ** 20],
    ['4Gi', 4 * 2 ** 30],
    ['1G', 1e9],
    ['1000', 1000],
    ['129M', 129e6],
    ['16264956Ki', 16264956 * 1024],
    ['1e3', 1000],
    ['1.5Gi', 1.5 * 2 ** 30],
  ])('reads memory %s as %i bytes', (quantity, bytes) => {
    expect(parseMemoryBytes(quantity)).toBe(bytes);
  });

  it('names the bad value and the fix when a quantity cannot be read', () => {
    expect(() => parseMemoryBytes('12 parsecs')).toThrow(InvalidQuantityError);
    expect(() => parseCpuMillis('-1')).toThrow(/Cannot read the Kubernetes CPU quantity "-1".*Fix: use a Kubernetes quantity/);
  });
});
