import { describe, expect, it } from "vitest";
import { currencyExponent as minorDigits } from "@cartback/core/money";
import { applyMoneyFormat, money, moneyWithCurrency, moneyWithoutCurrency, moneyWithoutTrailingZeros } from "./money.ts";

const USD = { money_format: "${{amount}}", currency: "USD" };

describe("money filters on minor units", () => {
  it("formats cents with the shop's money format", () => {
    expect(money(2999, USD)).toBe("$29.99");
    expect(money(123456789, USD)).toBe("$1,234,567.89");
    expect(money("500", USD)).toBe("$5.00");
  });

  it("supports every Shopify amount placeholder", () => {
    const cases: [string, string][] = [
      ["{{amount}}", "1,234,567.89"],
      ["{{amount_no_decimals}}", "1,234,568"],
      ["{{amount_with_comma_separator}}", "1.234.567,89"],
      ["{{amount_no_decimals_with_comma_separator}}", "1.234.568"],
      ["{{amount_with_apostrophe_separator}}", "1'234'567.89"],
      ["{{amount_no_decimals_with_space_separator}}", "1 234 568"],
      ["{{amount_with_space_separator}}", "1 234 567,89"],
      ["{{amount_with_period_and_space_separator}}", "1 234 567.89"],
      ["{{ amount }} €", "1,234,567.89 €"],
    ];
    for (const [format, expected] of cases) expect(applyMoneyFormat(format, 123456789, "USD")).toBe(expected);
  });

  it("uses the currency's own minor digits (JPY has none, KWD has three)", () => {
    expect(minorDigits("JPY")).toBe(0);
    expect(minorDigits("KWD")).toBe(3);
    expect(money(1500, { money_format: "¥{{amount_no_decimals}}", currency: "JPY" })).toBe("¥1,500");
    expect(money(1500, { money_format: "{{amount}} KD", currency: "KWD" })).toBe("1.50 KD");
  });

  it("appends the currency when the shop has no with-currency format", () => {
    expect(moneyWithCurrency(2999, USD)).toBe("$29.99 USD");
    expect(moneyWithCurrency(2999, { ...USD, money_with_currency_format: "${{amount}} US" })).toBe("$29.99 US");
    expect(moneyWithoutCurrency(2999, USD)).toBe("29.99");
  });

  it("drops trailing zeros only for whole amounts", () => {
    expect(moneyWithoutTrailingZeros(1000, USD)).toBe("$10");
    expect(moneyWithoutTrailingZeros(1050, USD)).toBe("$10.50");
    expect(moneyWithoutTrailingZeros(100000, { money_format: "{{amount_with_comma_separator}} €", currency: "EUR" })).toBe("1.000 €");
  });

  it("reads a decimal string as the amount the shop shows (CleverTap's item.Price)", () => {
    expect(money("29.00", USD)).toBe("$29.00");
    expect(money("0.29", USD)).toBe("$0.29");
    expect(moneyWithCurrency("1234.5", USD)).toBe("$1,234.50 USD");
    expect(money("2900", { money_format: "¥{{amount_no_decimals}}", currency: "JPY" })).toBe("¥2,900");
    expect(money("29.000", { money_format: "{{amount_with_comma_separator}} KD", currency: "KWD" })).toBe("29,00 KD");
  });

  it("renders nothing for values that are not amounts", () => {
    expect(money(null, USD)).toBe("");
    expect(money(undefined, USD)).toBe("");
    expect(money("abc", USD)).toBe("");
  });

  it("keeps the sign of negative amounts", () => {
    expect(money(-250, USD)).toBe("$-2.50");
  });
});
