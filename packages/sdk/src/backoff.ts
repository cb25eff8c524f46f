export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 60_000, factor: 2 };

/**
 * "Full jitter": a uniform delay in [0, min(max, base·factor^attempt)], so many storefront tabs
 * failing at the same moment do not come back in lockstep. `random` is in [0, 1).
 * `attempt` counts failures so far, starting at 1.
 */
export function backoffDelay(attempt: number, random: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(options.maxMs, options.baseMs * options.factor ** exponent);
  // Never 0: a zero delay would turn a broken server into a tight loop.
  return Math.max(options.baseMs / 4, Math.floor(random * ceiling));
}
