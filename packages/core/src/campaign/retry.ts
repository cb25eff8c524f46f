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

export const MAX_SEND_ATTEMPTS = 8;

/** 30 s, 1 min, 2 min … capped at 1 h; `attempt` is the number of attempts made so far (≥ 1). */
export function retryDelayMs(attempt: number, baseMs = 30_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 3_600_000);
}
