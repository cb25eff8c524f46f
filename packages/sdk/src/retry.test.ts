import { describe, expect, it } from "vitest";
import { decideRetry, parseRetryAfter } from "./retry.ts";

const now = Date.parse("2026-11-26T10:00:00Z");
const response = (status: number, retryAfter: string | null = null) => ({ type: "response" as const, status, retryAfter });

describe("decideRetry", () => {
  it("treats every 2xx as delivered", () => {
    for (const status of [200, 201, 202, 204]) expect(decideRetry(response(status), now)).toEqual({ type: "delivered" });
  });

  it("retries server errors, 429 and network failures", () => {
    for (const status of [500, 502, 503, 504, 429]) expect(decideRetry(response(status), now).type).toBe("retry");
    expect(decideRetry({ type: "network_error" }, now)).toEqual({ type: "retry", afterMs: null });
  });

  it("drops other 4xx with a reason instead of retrying forever", () => {
    expect(decideRetry(response(400), now)).toEqual({ type: "drop", reason: "rejected" });
    expect(decideRetry(response(422), now)).toEqual({ type: "drop", reason: "rejected" });
    expect(decideRetry(response(404), now)).toEqual({ type: "drop", reason: "rejected" });
    expect(decideRetry(response(413), now)).toEqual({ type: "drop", reason: "too_large" });
    expect(decideRetry(response(401), now)).toEqual({ type: "drop", reason: "unauthorized" });
  });

  it("honours Retry-After in seconds and as an HTTP date", () => {
    expect(decideRetry(response(429, "30"), now)).toEqual({ type: "retry", afterMs: 30_000 });
    expect(decideRetry(response(503, "Thu, 26 Nov 2026 10:02:00 GMT"), now)).toEqual({ type: "retry", afterMs: 120_000 });
  });
});

describe("parseRetryAfter", () => {
  it("ignores garbage and never returns a negative wait", () => {
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("Thu, 26 Nov 2026 09:00:00 GMT", now)).toBe(0);
  });
});
