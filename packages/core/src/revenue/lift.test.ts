import { describe, expect, it } from "vitest";
import { holdoutLift } from "./lift.ts";

describe("holdoutLift", () => {
  it("gives the difference of rates with a 95 % interval that excludes 0 for a clear effect", () => {
    const lift = holdoutLift({ episodes: 9_000, converted: 900 }, { episodes: 1_000, converted: 50 })!;
    expect(lift.emailedRate).toBeCloseTo(0.1);
    expect(lift.holdoutRate).toBeCloseTo(0.05);
    expect(lift.difference).toBeCloseTo(0.05);
    // se = sqrt(.1*.9/9000 + .05*.95/1000) = 0.00751
    expect(lift.interval[0]).toBeCloseTo(0.05 - 1.96 * 0.00751, 3);
    expect(lift.interval[1]).toBeCloseTo(0.05 + 1.96 * 0.00751, 3);
    expect(lift.relative).toBeCloseTo(2);
  });

  it("gives an interval around 0 when the groups convert alike, and nothing without a holdout", () => {
    const lift = holdoutLift({ episodes: 900, converted: 90 }, { episodes: 100, converted: 10 })!;
    expect(lift.interval[0]).toBeLessThan(0);
    expect(lift.interval[1]).toBeGreaterThan(0);
    expect(holdoutLift({ episodes: 900, converted: 90 }, { episodes: 0, converted: 0 })).toBeNull();
    expect(holdoutLift({ episodes: 10, converted: 1 }, { episodes: 10, converted: 0 })!.relative).toBeNull();
  });
});
