import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.ts";

const options = { baseMs: 1000, maxMs: 60_000, factor: 2 };

describe("backoffDelay", () => {
  it("grows exponentially with the attempt when jitter is at its top", () => {
    const top = 0.999_999;
    expect(backoffDelay(1, top, options)).toBe(999);
    expect(backoffDelay(2, top, options)).toBe(1999);
    expect(backoffDelay(4, top, options)).toBe(7999);
  });

  it("never exceeds the cap however many attempts failed", () => {
    for (let attempt = 1; attempt < 60; attempt++) expect(backoffDelay(attempt, 0.999_999, options)).toBeLessThan(60_000);
  });

  it("spreads retries with full jitter but never retries instantly", () => {
    const delays = new Set([0, 0.25, 0.5, 0.75].map((r) => backoffDelay(6, r, options)));
    expect(delays.size).toBe(4);
    expect(backoffDelay(6, 0, options)).toBe(250);
  });
});
