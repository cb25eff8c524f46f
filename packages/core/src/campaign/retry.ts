/**
 * SMTP outcomes. A 4xx reply or a connection failure is transient (greylisting, rate limits,
 * a restarting relay): retry with backoff. A 5xx reply is permanent; at RCPT it means the
 * address does not exist (a hard bounce), so the address is suppressed.
 */
export type SmtpOutcome =
  | { type: "transient"; code: number | null }
  | { type: "permanent"; code: number; hardBounce: boolean };

export function classifySmtpError(code: number | null | undefined, command: string | null | undefined): SmtpOutcome {
  if (typeof code === "number" && code >= 500 && code < 600) {
    return { type: "permanent", code, hardBounce: /^RCPT/i.test(command ?? "") };
  }
  return { type: "transient", code: typeof code === "number" ? code : null };
}

/**
 * Ten attempts, the gaps starting at 10 s and doubling: a relay back after an outage of T is
 * used again within about T, and mail is given up only after ~85 min of failures
 * (app/server/campaigns/README.md, "Retries").
 */
export const MAX_SEND_ATTEMPTS = 10;
export const RETRY_BASE_MS = 10_000;

/** 10 s, 20 s, 40 s … capped at 1 h; `attempt` is the number of attempts made so far (≥ 1). */
export function retryDelayMs(attempt: number, baseMs = RETRY_BASE_MS): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}
