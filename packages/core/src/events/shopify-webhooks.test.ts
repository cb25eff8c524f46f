import { describe, expect, it } from "vitest";
import { parseEvent } from "./parse.ts";
import { fromCartWebhook, fromCheckoutWebhook, fromOrderWebhook, type WebhookTranslation } from "./shopify-webhooks.ts";

// What a webhook becomes must be what ingest accepts: each derived event goes through the events
// API's own parser here, as ingest does.
const envelope = { shop: "s.myshopify.com", source: "webhook" as const, receivedAt: new Date("2026-11-02T12:00:05Z") };
function verdicts(translated: WebhookTranslation) {
  if (translated.type !== "ok") throw new Error(JSON.stringify(translated));
  return translated.events.map((event) => {
    const parsed = parseEvent(event, envelope);
    return parsed.type === "ok" ? { name: parsed.event.name, ok: true } : { name: (event as { name: string }).name, ok: false, field: parsed.field };
  });
}

const cart = (fields: Record<string, unknown>) => ({ token: "c1", updated_at: "2026-11-02T12:00:00Z", line_items: [{ variant_id: 44, quantity: 2, price: "29.00" }], ...fields });

describe("carts/* webhooks", () => {
  it("refuses line_items that are not a list of lines, naming the field, instead of emptying the cart", () => {
    for (const line_items of ["x", null, { a: 1 }, undefined]) {
      expect(fromCartWebhook(cart({ line_items }), { shopCurrency: "USD" }), JSON.stringify(line_items)).toMatchObject({ type: "invalid", field: "line_items" });
    }
    for (const [items, index] of [[[null], 0], [[{}], 0], [[{ variant_id: 44, quantity: 1 }, { quantity: 1 }], 1], [[{ variant_id: 44, quantity: "two" }], 0], [[{ variant_id: 44, quantity: -1 }], 0]] as const) {
      expect(fromCartWebhook(cart({ line_items: items }), { shopCurrency: "USD" }), JSON.stringify(items)).toMatchObject({ type: "invalid", field: `line_items[${index}]` });
    }
  });

  it("takes an empty list as the emptied cart it is", () => {
    expect(verdicts(fromCartWebhook(cart({ line_items: [] }), { shopCurrency: "USD" }))).toEqual([{ name: "Cart Snapshot", ok: true }]);
  });
});

const order = (fields: Record<string, unknown>) => ({
  id: 99, created_at: "2026-11-02T12:00:00Z", email: "ana@example.com", cart_token: "c1", currency: "USD", total_price: "58.00",
  line_items: [{ variant_id: 44, quantity: 2, price: "29.00" }], customer: { id: 7, email: "ana@example.com" }, ...fields,
});

describe("orders/* webhooks", () => {
  it("keeps the purchase when an amount, a currency, a line or an address is malformed, leaving that value out", () => {
    const cases: Record<string, unknown>[] = [
      { total_price: "abc" },
      { currency: "ZZZZ" },
      { line_items: [{ variant_id: 44, quantity: 2, price: "-5.00" }] },
      { line_items: [{ variant_id: 44, quantity: "2", price: "29.00" }] },
      { total_price_set: { shop_money: { amount: "1e3", currency_code: "US" } } },
      { email: "not an address", customer: { id: 7, email: "ana@@example" } },
      { phone: "call me" },
      { total_price: 1e16, line_items: [{ variant_id: 44, quantity: 2, price: 1e-7 }] },
    ];
    for (const fields of cases) {
      const result = verdicts(fromOrderWebhook(order(fields)));
      expect(result[0], JSON.stringify(fields)).toEqual({ name: "Charged", ok: true });
      expect(result.every((r) => r.ok), JSON.stringify({ fields, result })).toBe(true);
    }
    const translated = fromOrderWebhook(order({ total_price: "abc", currency: "ZZZZ" }));
    if (translated.type !== "ok") throw new Error("refused");
    expect(translated.events[0]).not.toHaveProperty("total");
    expect(translated.events[0]).not.toHaveProperty("currency");
    expect(translated.events[0]).toMatchObject({ orderId: 99, cartToken: "c1", email: "ana@example.com" });
  });

  it("answers an order that names no cart, checkout or customer (a POS sale, a guest draft order) as nothing to apply", () => {
    const translated = fromOrderWebhook(order({ email: "", cart_token: null, checkout_token: null, customer: null }));
    expect(translated).toMatchObject({ type: "ok", events: [], ignored: expect.stringContaining("names no cart") });
  });
});

describe("checkouts/* webhooks", () => {
  it("keeps the checkout when its total or currency is malformed", () => {
    const checkout = { token: "k1", cart_token: "c1", updated_at: "2026-11-02T12:00:00Z", email: "ana@example.com", total_price: "n/a", currency: "dollars", line_items: [{ variant_id: 44, quantity: 1, price: "29.00" }] };
    expect(verdicts(fromCheckoutWebhook(checkout)).every((r) => r.ok)).toBe(true);
  });
});
