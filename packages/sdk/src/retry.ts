/** What to do with a batch after one delivery attempt. Pure: a function of the outcome only. */
export type RetryDecision =
  | { type: "delivered" }
  | { type: "retry"; afterMs: number | null }
  | { type: "drop"; reason: DropReason };

export type DropReason = "rejected" | "too_large" | "unauthorized" | "expired" | "queue_full";

export type AttemptOutcome =
  | { type: "response"; status: number; retryAfter: string | null }
  | { type: "network_error" };

export function decideRetry(outcome: AttemptOutcome, nowMs: number): RetryDecision {
  switch (outcome.type) {
    case "network_error":
      return { type: "retry", afterMs: null };
    case "response": {
      const { status } = outcome;
      if (status >= 200 && status < 300) return { type: "delivered" };
      if (status === 429 || status >= 500) {
        return { type: "retry", afterMs: parseRetryAfter(outcome.retryAfter, nowMs) };
      }
      // Other 4xx (and odd 1xx/3xx) will fail the same way forever: retrying only burns the
      // shopper's battery, so drop and count why.
      if (status === 413) return { type: "drop", reason: "too_large" };
      if (status === 401 || status === 403) return { type: "drop", reason: "unauthorized" };
      return { type: "drop", reason: "rejected" };
    }
    default:
      return unreachable(outcome);
  }
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === "") return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

function unreachable(value: never): never {
  throw new Error(`unhandled outcome ${JSON.stringify(value)}`);
}
