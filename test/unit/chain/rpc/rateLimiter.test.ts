import { describe, expect, it } from 'vitest';
import { RateLimiter, type Clock } from '../../../../src/chain/rpc/rateLimiter.js';

function fakeClock(): Clock & { advance(ms: number): void; slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms) => {
      now += ms;
    },
    slept,
  };
}

describe('RateLimiter (fake clock)', () => {
  it('lets one second of budget through, then spaces calls at 1/rps', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    for (let i = 0; i < 10; i++) await limiter.acquire(1);
    expect(clock.slept).toEqual([]);
    for (let i = 0; i < 5; i++) await limiter.acquire(1);
    expect(clock.slept).toHaveLength(5);
    for (const ms of clock.slept) expect(ms).toBeCloseTo(100, 6);
    expect(limiter.throttled).toBe(5);
  });

  it('queues concurrent callers by reserving debt: 30 calls at 10 rps end two seconds later', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    const waits = Array.from({ length: 30 }, () => limiter.reserve(1));
    expect(waits.filter((w) => w === 0)).toHaveLength(10);
    expect(Math.max(...waits)).toBeCloseTo(2_000, 6);
  });

  it('lets a batch larger than the per-second budget through after a proportional wait', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(50, clock);
    expect(limiter.reserve(100)).toBeCloseTo(1_000, 6);
    clock.advance(1_000);
    expect(limiter.reserve(50)).toBeCloseTo(1_000, 6);
  });

  it('refills over time and never above one second of budget', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(10, clock);
    expect(limiter.reserve(10)).toBe(0);
    clock.advance(60_000);
    expect(limiter.reserve(10)).toBe(0);
    expect(limiter.reserve(1)).toBeGreaterThan(0);
  });

  it('does nothing without a cap', () => {
    const limiter = new RateLimiter(Number.POSITIVE_INFINITY, fakeClock());
    expect(limiter.reserve(1_000_000)).toBe(0);
  });
});
