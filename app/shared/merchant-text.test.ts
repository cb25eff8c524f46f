import { describe, expect, it } from "vitest";
import { explainShopifyError, humanDuration, merchantError } from "./merchant-text.ts";

describe("merchant text", () => {
  it("writes durations as a merchant would", () => {
    expect(humanDuration(1000)).toBe("1 second");
    expect(humanDuration(60_000)).toBe("1 minute");
    expect(humanDuration(30 * 86_400_000)).toBe("30 days");
    expect(humanDuration(90_000)).toBe("90 seconds");
    expect(humanDuration(1500)).toBe("1500 ms");
  });

  it("turns schema messages into sentences that start with the field's label", () => {
    const table = [[/^steps\.(\d+)\.delayMs$/, { input: "steps", label: "Delay", unit: "ms" }], [/^name$/, { input: "name", label: "Name" }]] as const;
    expect(merchantError(table, "steps.0.delayMs", "Too small: expected number to be >=1000")).toEqual({ field: "steps", message: "Delay must be at least 1 second" });
    expect(merchantError(table, "name", "Too small: expected string to have >=1 characters")).toEqual({ field: "name", message: "Name can't be empty" });
    expect(merchantError(table, "name", "Too big: expected string to have <=120 characters")).toEqual({ field: "name", message: "Name must have at most 120 characters" });
    expect(merchantError(table, "other.path", "whatever")).toEqual({ field: "other.path", message: "whatever" });
  });

  it("says what happened and what to do instead of 'HTTP 0: fetch failed'", () => {
    const unreachable = explainShopifyError("HTTP 0: fetch failed");
    expect(unreachable).toMatch(/^Cartback could not reach Shopify \(fetch failed\)\. Check that this server can reach the internet/);
    expect(unreachable).not.toContain("HTTP 0");
    expect(explainShopifyError("fetch failed")).toMatch(/^Cartback could not reach Shopify/);
    expect(explainShopifyError("HTTP 503: upstream")).toMatch(/server error \(HTTP 503\).*Try again in a few minutes/);
    expect(explainShopifyError("Shopify refused the access token (HTTP 401)")).toMatch(/Check SHOPIFY_ADMIN_TOKEN/);
    expect(explainShopifyError("the bulk operation ended FAILED with TIMEOUT")).toBe("the bulk operation ended FAILED with TIMEOUT");
  });
});
