import { describe, expect, it } from "vitest";
import { type VariantSample, compareVariants } from "./ab.ts";

/** `converted` of `n` recipients each bought one order of `order` minor units, the rest nothing. */
function sample(n: number, converted: number, order: number): VariantSample {
  return { recipients: n, converted, orders: converted, revenueMinor: converted * order, revenueSquares: converted * order * order };
}

describe("A/B comparison by money", () => {
  it("gives the textbook two-proportion interval: 10 % vs 20 % of 100 each is 0.10 ± 0.098", () => {
    // se = sqrt(0.1·0.9/100 + 0.2·0.8/100) = 0.05; 1.96 · 0.05 = 0.098.
    const result = compareVariants(sample(100, 10, 5000), sample(100, 20, 5000));
    expect(result.conversion!.difference).toBeCloseTo(0.1, 10);
    expect(result.conversion!.interval[0]).toBeCloseTo(0.0020018, 6);
    expect(result.conversion!.interval[1]).toBeCloseTo(0.1979982, 6);
  });

  it("gives Welch's interval of revenue per recipient and names B the winner when it excludes 0", () => {
    // Per-recipient revenue is 0 or 5000: variance 0.09·5000²·100/99 (A) and 0.16·5000²·100/99 (B);
    // se = sqrt(vA/100 + vB/100) = 251.2595; difference 500 ± 1.959964 · se.
    const result = compareVariants(sample(100, 10, 5000), sample(100, 20, 5000));
    expect(result.a.revenuePerRecipient).toBe(500);
    expect(result.b.revenuePerRecipient).toBe(1000);
    expect(result.revenuePerRecipient!.difference).toBe(500);
    expect(result.revenuePerRecipient!.interval[0]).toBeCloseTo(7.5405, 3);
    expect(result.revenuePerRecipient!.interval[1]).toBeCloseTo(992.4595, 3);
    expect(result.winner).toBe("B");
  });

  it("names A when B's revenue is surely lower, whatever the order counts say", () => {
    // B converts more often but with far smaller orders.
    const result = compareVariants(sample(200, 40, 10_000), sample(200, 60, 1_000));
    expect(result.conversion!.interval[0]).toBeGreaterThan(0);
    expect(result.revenuePerRecipient!.interval[1]).toBeLessThan(0);
    expect(result.winner).toBe("A");
  });

  it("says no winner yet while the interval contains 0", () => {
    const result = compareVariants(sample(100, 10, 5000), sample(100, 12, 5000));
    expect(result.revenuePerRecipient!.interval[0]).toBeLessThan(0);
    expect(result.revenuePerRecipient!.interval[1]).toBeGreaterThan(0);
    expect(result.winner).toBeNull();
  });

  it("says no winner yet with fewer than 30 recipients a side, and gives no interval below 2", () => {
    const few = compareVariants(sample(20, 0, 5000), sample(20, 15, 5000));
    expect(few.revenuePerRecipient!.interval[0]).toBeGreaterThan(0);
    expect(few.winner).toBeNull();
    const none = compareVariants(sample(1, 1, 5000), sample(0, 0, 0));
    expect(none.conversion).toBeNull();
    expect(none.revenuePerRecipient).toBeNull();
    expect(none.winner).toBeNull();
  });
});
