import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../../src/chain/rpc/backoffDelay.js';

const options = { baseMs: 100, maxMs: 3_000 };

describe('backoffDelay', () => {
  it('stays within [cap/2, cap] and the cap doubles per attempt', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const cap = 100 * 2 ** (attempt - 1);
      expect(backoffDelay(attempt, options, () => 0)).toBe(cap / 2);
      expect(backoffDelay(attempt, options, () => 0.999999)).toBe(cap);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, options);
        expect(d).toBeGreaterThanOrEqual(cap / 2);
        expect(d).toBeLessThanOrEqual(cap);
      }
    }
  });

  it('never exceeds maxMs, even for large attempts or a long Retry-After', () => {
    expect(backoffDelay(40, options, () => 1)).toBe(3_000);
    expect(backoffDelay(1, options, () => 0, 60_000)).toBe(3_000);
  });

  it('honours a Retry-After longer than the jittered delay', () => {
    expect(backoffDelay(1, options, () => 0, 1_000)).toBe(1_000);
    expect(backoffDelay(3, options, () => 1, 10)).toBe(400);
  });
});
