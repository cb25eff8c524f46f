import { describe, expect, it } from "vitest";
import { StepDiscount, codeFromDigest, describeDiscount, discountCodeInput, discountLandingUrl } from "./discount.ts";

const EUR = { currency: "EUR", moneyFormat: "€{{amount_with_comma_separator}}" };

describe("step discounts", () => {
  it("parses a percentage with its defaults: 7 days, once per customer", () => {
    expect(StepDiscount.parse({ kind: "percentage", percent: 10 })).toEqual({ kind: "percentage", percent: 10, expiresAfterDays: 7, oncePerCustomer: true });
  });

  it("refuses 0 %, 101 %, a fraction of a percent and an amount of 0", () => {
    for (const bad of [{ kind: "percentage", percent: 0 }, { kind: "percentage", percent: 101 }, { kind: "percentage", percent: 2.5 }, { kind: "fixed_amount", amount: "0.00" }, { kind: "fixed_amount", amount: "5,00" }]) {
      expect(StepDiscount.safeParse(bad).success).toBe(false);
    }
  });

  it("describes itself as shoppers read it, in the shop's money format", () => {
    expect(describeDiscount(StepDiscount.parse({ kind: "percentage", percent: 10 }), EUR)).toBe("10% off");
    expect(describeDiscount(StepDiscount.parse({ kind: "fixed_amount", amount: "5" }), EUR)).toBe("€5,00 off");
  });

  it("builds Shopify's DiscountCodeBasicInput: single use, all buyers, all items, ends after the expiry", () => {
    const now = new Date("2026-12-06T10:00:00Z");
    const input = discountCodeInput(StepDiscount.parse({ kind: "percentage", percent: 10, expiresAfterDays: 3, oncePerCustomer: true }), "CB-ABC", "Cartback CB-ABC", now);
    expect(input).toEqual({
      title: "Cartback CB-ABC",
      code: "CB-ABC",
      startsAt: "2026-12-06T10:00:00.000Z",
      endsAt: "2026-12-09T10:00:00.000Z",
      context: { all: "ALL" },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
    });
    const fixed = discountCodeInput(StepDiscount.parse({ kind: "fixed_amount", amount: "5.00" }), "CB-X", "t", now);
    expect(fixed.customerGets).toEqual({ value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } });
  });

  it("derives the same readable code from the same digest, and another from another", () => {
    const a = codeFromDigest(new Uint8Array(32).fill(7));
    expect(a).toMatch(/^CB-[A-HJ-NP-Z2-9]{10}$/);
    expect(codeFromDigest(new Uint8Array(32).fill(7))).toBe(a);
    expect(codeFromDigest(new Uint8Array(32).fill(8))).not.toBe(a);
  });

  it("lands on the same shop's /discount/<code> with the original path as redirect", () => {
    const url = discountLandingUrl("https://shop.example/cart/1:2,3:1?storefront=true&utm_source=cartback", "CB-ABC");
    expect(url).toBe("https://shop.example/discount/CB-ABC?redirect=%2Fcart%2F1%3A2%2C3%3A1%3Fstorefront%3Dtrue%26utm_source%3Dcartback");
    const parsed = new URL(url!);
    expect(parsed.origin).toBe("https://shop.example");
    expect(parsed.searchParams.get("redirect")).toBe("/cart/1:2,3:1?storefront=true&utm_source=cartback");
    expect(discountLandingUrl("not a url", "X")).toBeNull();
  });
});
