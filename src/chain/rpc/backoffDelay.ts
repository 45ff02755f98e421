export interface BackoffOptions {
  /** Delay cap for the first retry, in ms. */
  baseMs: number;
  /** No delay exceeds this, whatever the attempt number. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 10_000 };

/**
 * Delay before retry number `attempt` (1 for the first retry): exponential growth with "equal
 * jitter", i.e. uniformly in [cap/2, cap] where cap = min(maxMs, baseMs * 2^(attempt-1)). Half the
 * cap is kept so that a crowd of throttled workers still backs off; the random half spreads them.
 * A server-sent Retry-After wins when larger, still capped at maxMs.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random, retryAfterMs?: number): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = cap / 2 + random() * (cap / 2);
  const delay = retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
  return Math.min(options.maxMs, Math.round(delay));
}
