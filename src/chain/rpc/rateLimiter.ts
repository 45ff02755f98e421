export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * Requests-per-second cap shared by every endpoint of a pool: a token bucket holding one second
 * of budget that may go into debt. A caller takes its tokens at once and then waits out its share
 * of the debt, so concurrent callers queue in arrival order without a timer per waiter, and a
 * batch larger than the per-second budget still goes through (it just waits longer).
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  /** Calls that had to wait, and the total wait handed out: what tests and metrics read. */
  throttled = 0;
  waitedMs = 0;

  constructor(
    readonly maxRps: number,
    private readonly clock: Clock = realClock,
  ) {
    this.tokens = maxRps;
    this.last = clock.now();
  }

  /** Wait time in ms for `n` calls, reserving them; 0 when under the cap. */
  reserve(n: number): number {
    if (!Number.isFinite(this.maxRps) || this.maxRps <= 0) return 0;
    const now = this.clock.now();
    this.tokens = Math.min(this.maxRps, this.tokens + ((now - this.last) * this.maxRps) / 1000);
    this.last = now;
    this.tokens -= n;
    if (this.tokens >= 0) return 0;
    const wait = (-this.tokens * 1000) / this.maxRps;
    this.throttled += 1;
    this.waitedMs += wait;
    return wait;
  }

  async acquire(n: number, signal?: AbortSignal): Promise<void> {
    const wait = this.reserve(n);
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
}
