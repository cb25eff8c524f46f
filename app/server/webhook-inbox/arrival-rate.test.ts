import { describe, expect, it } from "vitest";
import { ArrivalRate } from "./arrival-rate.ts";

describe("ArrivalRate", () => {
  it("sees a 200/s burst within its first 100 ms, not after a whole second of it", () => {
    const rate = new ArrivalRate(100);
    const seen = Array.from({ length: 30 }, (_, i) => rate.arrive(10_000 + i * 5));
    expect(seen.findIndex((r) => r > 100)).toBe(10);
  });

  it("keeps three deliveries arriving together calm", () => {
    const rate = new ArrivalRate(100);
    expect(Math.max(rate.arrive(5_000), rate.arrive(5_001), rate.arrive(5_002))).toBeLessThanOrEqual(100);
  });

  it("remembers the last whole second's count and forgets it after a quiet second", () => {
    const rate = new ArrivalRate(100);
    for (let i = 0; i < 150; i++) rate.arrive(20_000 + i * 6);
    expect(rate.arrive(21_500)).toBe(150);
    expect(rate.arrive(23_000)).toBe(10);
  });
});
