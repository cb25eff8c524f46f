import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromMinorUnits, toMinorUnits } from "./money.ts";

describe("money in minor units", () => {
  it("converts decimal strings using the currency's exponent", () => {
    expect(toMinorUnits("19.99", "USD")).toBe(1999);
    expect(toMinorUnits("0.29", "EUR")).toBe(29);
    expect(toMinorUnits("300.0", "CAD")).toBe(30000);
    expect(toMinorUnits("1500", "JPY")).toBe(1500);
    expect(toMinorUnits("1.234", "KWD")).toBe(1234);
    expect(toMinorUnits("", "USD")).toBeNull();
    expect(toMinorUnits("abc", "USD")).toBeNull();
    expect(toMinorUnits(null, "USD")).toBeNull();
  });

  it("round-trips any amount through its decimal form", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("USD", "JPY", "KWD"), (minor, currency) => {
        expect(toMinorUnits(fromMinorUnits(minor, currency), currency)).toBe(minor);
      }),
    );
  });
});
