import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { currencyExponent, isCurrencyCode, majorToMinor, majorToMinorOrNull, minorToMajor } from "./money.ts";
import { applyMoneyFormat, formatMoney } from "./money-format.ts";

describe("counting money in minor units", () => {
  it("knows each currency's own exponent, and counts two digits for a code Intl does not know", () => {
    expect([currencyExponent("USD"), currencyExponent("JPY"), currencyExponent("KWD")]).toEqual([2, 0, 3]);
    expect(currencyExponent("XQQ")).toBe(2);
    expect(currencyExponent("not a code")).toBe(2);
    expect(isCurrencyCode("EUR")).toBe(true);
    expect(isCurrencyCode("eur")).toBe(false);
    expect(isCurrencyCode(42)).toBe(false);
  });

  it("reads decimal strings and numbers exactly in the currency's exponent", () => {
    expect(majorToMinor("19.99", "USD")).toEqual({ type: "ok", minor: 1999 });
    expect(majorToMinor(0.29, "EUR")).toEqual({ type: "ok", minor: 29 });
    expect(majorToMinor("1500", "JPY")).toEqual({ type: "ok", minor: 1500 });
    expect(majorToMinor("1.234", "KWD")).toEqual({ type: "ok", minor: 1234 });
    expect(majorToMinor("12.", "USD")).toEqual({ type: "ok", minor: 1200 });
    expect(majorToMinor("-0.004", "USD")).toEqual({ type: "ok", minor: 0 });
  });

  it("rounds the first dropped digit half away from zero", () => {
    expect(majorToMinorOrNull("1.005", "USD")).toBe(101);
    expect(majorToMinorOrNull("-1.005", "USD")).toBe(-101);
    expect(majorToMinorOrNull("1500.5", "JPY")).toBe(1501);
  });

  it("says why an amount is unreadable", () => {
    expect(majorToMinor("abc", "USD")).toMatchObject({ type: "invalid", reason: expect.stringContaining("not a decimal") });
    expect(majorToMinor(Number.NaN, "USD")).toMatchObject({ type: "invalid", reason: "must be a finite amount" });
    expect(majorToMinor(null, "USD").type).toBe("invalid");
    expect(majorToMinorOrNull("", "USD")).toBeNull();
  });

  it("round-trips any amount through its decimal form", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom("USD", "JPY", "KWD"), (minor, currency) => {
        expect(majorToMinorOrNull(minorToMajor(minor, currency), currency)).toBe(minor);
      }),
    );
  });
});

describe("printing money in the shop's format", () => {
  it("prints JPY with no decimals", () => {
    expect(formatMoney(150000, "JPY", { currency: "JPY", moneyFormat: "¥{{amount_no_decimals}}" })).toBe("¥150,000");
    expect(minorToMajor(2900, "JPY")).toBe("2900");
  });

  it("prints KWD from three minor digits", () => {
    expect(formatMoney(29125, "KWD", { currency: "KWD", moneyFormat: "{{amount}} KD" })).toBe("29.13 KD");
    expect(minorToMajor(29125, "KWD")).toBe("29.125");
  });

  it("prints EUR with comma decimals", () => {
    const eur = { currency: "EUR", moneyFormat: "{{amount_with_comma_separator}} €" };
    expect(formatMoney(123456789, "EUR", eur)).toBe("1.234.567,89 €");
    expect(formatMoney(-250, "EUR", eur)).toBe("-2,50 €");
  });

  it("prints another currency than the shop's with its own digits and code", () => {
    expect(formatMoney(1500, "JPY", { currency: "EUR", moneyFormat: "€{{amount}}" })).toBe("1,500 JPY");
    expect(formatMoney(29125, "KWD", { currency: "USD", moneyFormat: "${{amount}}" })).toBe("29.125 KWD");
  });

  it("drops HTML that Shopify's formats may carry", () => {
    expect(formatMoney(2999, "USD", { currency: "USD", moneyFormat: '<span class="money">${{amount}}</span>' })).toBe("$29.99");
  });

  it("rounds half up when the format shows fewer digits than the currency has, without float error", () => {
    expect(applyMoneyFormat("{{amount_no_decimals}}", 1050, "USD")).toBe("11");
    expect(applyMoneyFormat("{{amount}}", 1005, "KWD")).toBe("1.01");
    expect(applyMoneyFormat("{{amount}}", 999_999_999_999_995, "KWD")).toBe("1,000,000,000,000.00");
  });
});
