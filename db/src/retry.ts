/**
 * PostgreSQL ends one of two transactions that wait on each other (deadlock_detected, 40P01)
 * or cannot be serialized (40001); the other commits. Such a transaction did nothing and is
 * safe to run again: ingest and GDPR redaction lock a shopper's rows from different ends
 * (found by `npm run fuzz`: 32 in 100,000 hostile requests on PostgreSQL answered 500).
 */
const RETRYABLE = new Set(["40P01", "40001"]);

export function isRetryableConflict(error: unknown): boolean {
  const seen = new Set<unknown>();
  for (let e = error; e && typeof e === "object" && !seen.has(e); e = (e as { cause?: unknown }).cause) {
    seen.add(e);
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && RETRYABLE.has(code)) return true;
  }
  return false;
}

/** Runs `attempt` again (up to `tries` in all, after a short random pause) when it lost a deadlock. */
export async function retryConflicts<T>(attempt: () => Promise<T>, tries = 4): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= tries || !isRetryableConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * n));
    }
  }
}
