import { describe, expect, it } from "vitest";
import { axisMax, dayLabel, everyDay, xTicks } from "./chart-scale.ts";

describe("chart scale", () => {
  it("tops the axis at 2, 4 or 10 times a power of ten, never below the largest value", () => {
    expect([0, 1, 2, 3, 5, 37, 40, 41, 123_456].map(axisMax)).toEqual([2, 2, 2, 4, 10, 40, 40, 100, 200_000]);
  });

  it("labels the first, middle and last day once each", () => {
    expect(xTicks(0)).toEqual([]);
    expect(xTicks(1)).toEqual([0]);
    expect(xTicks(2)).toEqual([0, 1]);
    expect(xTicks(30)).toEqual([0, 14, 29]);
  });

  it("lists every day between two dates, across a month and a year end", () => {
    expect(everyDay("2026-12-30", "2027-01-02")).toEqual(["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"]);
    expect(everyDay("2026-12-06", "2026-12-06")).toEqual(["2026-12-06"]);
    expect(dayLabel("2027-01-02")).toBe("Jan 2");
  });
});
