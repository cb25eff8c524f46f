import { describe, expect, it } from "vitest";
import { chargedAmount } from "./charged-amount.ts";

const line = (unitPrice: number | null, quantity: number, currency: string | null = "EUR") => ({ unitPrice, quantity, currency });

describe("chargedAmount", () => {
  it("takes the order's total when the source sent one, even zero", () => {
    expect(chargedAmount({ total: 5000, currency: "EUR", lines: [line(2900, 2)] })).toEqual({ type: "total", minor: 5000, currency: "EUR" });
    expect(chargedAmount({ total: 0, currency: "EUR", lines: [] })).toEqual({ type: "total", minor: 0, currency: "EUR" });
  });

  it("sums price × quantity of the lines in minor units when the total is absent", () => {
    expect(chargedAmount({ total: null, currency: "EUR", lines: [line(2900, 2), line(1, 3)] })).toEqual({ type: "lines", minor: 5803, currency: "EUR" });
    expect(chargedAmount({ currency: "JPY", lines: [line(2900, 2, "JPY")] })).toEqual({ type: "lines", minor: 5800, currency: "JPY" });
    expect(chargedAmount({ currency: "KWD", lines: [line(29_005, 3, "KWD")] })).toEqual({ type: "lines", minor: 87_015, currency: "KWD" });
  });

  it("reads the currency from the lines when the event names none, and skips lines of quantity 0", () => {
    expect(chargedAmount({ currency: null, lines: [line(1000, 1, "USD"), line(null, 0, null)] })).toEqual({ type: "lines", minor: 1000, currency: "USD" });
  });

  it("calls the amount unknown without a total or with an unpriced, foreign-currency or no line", () => {
    expect(chargedAmount({ currency: "EUR", lines: [] })).toEqual({ type: "unknown", currency: "EUR" });
    expect(chargedAmount({ currency: "EUR", lines: [line(2900, 1), line(null, 1)] })).toEqual({ type: "unknown", currency: "EUR" });
    expect(chargedAmount({ currency: "EUR", lines: [line(2900, 1), line(2900, 1, "USD")] })).toEqual({ type: "unknown", currency: "EUR" });
    expect(chargedAmount({ currency: "EUR", lines: [line(Number.MAX_SAFE_INTEGER, 2)] })).toEqual({ type: "unknown", currency: "EUR" });
    expect(chargedAmount({})).toEqual({ type: "unknown", currency: null });
  });
});
