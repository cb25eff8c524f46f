import { describe, expect, it } from "vitest";
import { fromOrderWebhook } from "./shopify-webhooks.ts";

// An order paid in another presentment currency: revenue is summed in the shop's money, so
// the Charged event carries the shop_money total and the shop's currency, not the shopper's.
const order = (fields: Record<string, unknown>) => ({ id: 5001, created_at: "2026-11-02T12:00:00Z", email: "a@example.com", line_items: [], ...fields });

describe("orders/create money", () => {
  it("takes total_price_set.shop_money when the shopper paid in another currency", () => {
    const translated = fromOrderWebhook(order({
      currency: "USD", presentment_currency: "EUR", total_price: "54.35",
      total_price_set: { shop_money: { amount: "54.35", currency_code: "USD" }, presentment_money: { amount: "50.00", currency_code: "EUR" } },
    }));
    if (translated.type !== "ok") throw new Error(JSON.stringify(translated));
    expect(translated.events[0]).toMatchObject({ name: "Charged", total: "54.35", currency: "USD" });
  });

  it("falls back to total_price in the shop's `currency` without a price set", () => {
    const translated = fromOrderWebhook(order({ currency: "CAD", presentment_currency: "EUR", total_price: "12.00" }));
    if (translated.type !== "ok") throw new Error(JSON.stringify(translated));
    expect(translated.events[0]).toMatchObject({ total: "12.00", currency: "CAD" });
  });

  it("labels each line's price with the shop's currency, the money its `price` is in", () => {
    const line = (price_set?: object) => ({ variant_id: 44, quantity: 2, price: "19.99", title: "Beanie", ...(price_set ? { price_set } : {}) });
    const translated = fromOrderWebhook(order({
      currency: "USD", presentment_currency: "EUR", total_price: "39.98",
      line_items: [
        line({ shop_money: { amount: "19.99", currency_code: "USD" }, presentment_money: { amount: "18.40", currency_code: "EUR" } }),
        line(),
      ],
    }));
    if (translated.type !== "ok") throw new Error(JSON.stringify(translated));
    const { lines } = translated.events[0] as unknown as { lines: { price: string; currency: string }[] };
    expect(lines.map((l) => [l.price, l.currency])).toEqual([["19.99", "USD"], ["19.99", "USD"]]);
  });
});
