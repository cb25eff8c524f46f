import type { CartEvent } from "../events/event.ts";
import { describe, expect, it } from "vitest";
import { deriveProfile, shopifyCartIds } from "./derive.ts";
import { ev, quantities } from "./testing.ts";

const browser = { clientId: "b-1" };
const cart = { clientId: "b-1", cartToken: "c1-a" };

describe("live cart", () => {
  it("adds and removes quantities per variant, shopify_cart_ids in order of first add", () => {
    const p = deriveProfile([
      ev.add({ id: "1", at: 0, ids: cart }, "22", 1),
      ev.add({ id: "2", at: 60, ids: cart }, "11", 2),
      ev.add({ id: "3", at: 120, ids: cart }, "22", 1),
      ev.remove({ id: "4", at: 180, ids: cart }, "11", 1),
    ]);
    expect(quantities(p.cart)).toEqual({ "22": 2, "11": 1 });
    expect(shopifyCartIds(p)).toEqual(["22", "11"]);
    expect(p.cartChangedAt?.toISOString()).toBe("2026-03-01T12:03:00.000Z");
  });

  it("counts one add once when the pixel, the SDK and a carts/update webhook all report it", () => {
    const p = deriveProfile([
      ev.add({ id: "px", at: 10.2, source: "pixel", ids: browser }, "11"),
      ev.add({ id: "sdk", at: 10, source: "sdk", ids: cart }, "11"),
      ev.snapshot({ id: "cartjs", at: 10.4, source: "sdk", ids: cart }, { "11": 1 }),
      ev.snapshot({ id: "wh", at: 9.9, source: "webhook", ids: { cartToken: "c1-a" } }, { "11": 1 }),
    ]);
    expect(quantities(p.cart)).toEqual({ "11": 1 });
  });

  it("lets a snapshot correct deltas that were missed or wrong", () => {
    const p = deriveProfile([
      ev.add({ id: "1", at: 0, source: "pixel", ids: browser }, "11", 1),
      ev.snapshot({ id: "2", at: 100, ids: cart }, { "11": 3, "22": 1 }),
    ]);
    expect(quantities(p.cart)).toEqual({ "11": 3, "22": 1 });
    expect(shopifyCartIds(p)).toEqual(["11", "22"]);
  });

  it("counts two clicks from the same source twice", () => {
    const p = deriveProfile([
      ev.add({ id: "1", at: 0, source: "pixel", ids: browser }, "11"),
      ev.add({ id: "2", at: 0.5, source: "pixel", ids: browser }, "11"),
    ]);
    expect(quantities(p.cart)).toEqual({ "11": 2 });
  });

  it("clears the cart on Charged even when the order arrives before the add", () => {
    const events = [
      ev.add({ id: "a", at: 0, ids: cart }, "11"),
      ev.charged({ id: "o", at: 300, ids: { cartToken: "c1-a" } }, "900"),
    ];
    const p = deriveProfile([...events].reverse());
    expect(p.cart).toEqual([]);
    expect(p.charges.map((c) => c.orderId)).toEqual(["900"]);
  });

  it("clears by checkout token when the checkout links it to the cart, keeping other carts", () => {
    const p = deriveProfile([
      ev.add({ id: "a", at: 0, ids: cart }, "11"),
      ev.add({ id: "b", at: 5, ids: { clientId: "b-2", cartToken: "c1-other" } }, "22"),
      ev.checkout({ id: "co", at: 100, ids: { cartToken: "c1-a", checkoutToken: "chk" } }),
      ev.charged({ id: "o", at: 200, source: "pixel", ids: { checkoutToken: "chk" } }, "900"),
    ]);
    expect(quantities(p.cart)).toEqual({ "22": 1 });
  });

  it("without a known cart, Charged removes what was added before the order and keeps later adds", () => {
    const p = deriveProfile([
      ev.add({ id: "a", at: 0, source: "pixel", ids: browser }, "11"),
      ev.charged({ id: "o", at: 100, source: "pixel", ids: { checkoutToken: "unknown" } }, "900"),
      ev.add({ id: "b", at: 200, source: "pixel", ids: browser }, "22"),
    ]);
    expect(quantities(p.cart)).toEqual({ "22": 1 });
  });

  it("sends untokened adds after a purchase to the new cart, not the purchased one", () => {
    const p = deriveProfile([
      ev.snapshot({ id: "s1", at: 0, ids: cart }, { "11": 1 }),
      ev.charged({ id: "o", at: 100, ids: { cartToken: "c1-a" } }, "900"),
      ev.add({ id: "px", at: 200, source: "pixel", ids: browser }, "22"),
      ev.snapshot({ id: "s2", at: 201, source: "webhook", ids: { cartToken: "c1-b" } }, { "22": 1 }),
    ]);
    expect(quantities(p.cart)).toEqual({ "22": 1 });
  });

  it("an empty snapshot empties its cart", () => {
    const p = deriveProfile([ev.add({ id: "a", at: 0, ids: cart }, "11"), ev.snapshot({ id: "s", at: 50, ids: cart }, {})]);
    expect(p.cart).toEqual([]);
  });

  it("takes the latest email and consent", () => {
    const p = deriveProfile([
      ev.identify({ id: "2", at: 20, ids: { email: "new@example.com" }, source: "api" }, { marketingConsent: "subscribed" }),
      ev.identify({ id: "1", at: 10, ids: { email: "old@example.com" }, source: "webhook" }, { firstName: "Ana" }),
    ]);
    expect(p).toMatchObject({ email: "new@example.com", firstName: "Ana", marketingConsent: "subscribed" });
  });

  it("keeps an email, consent and name that only a browser sent as unverified: never mailable", () => {
    for (const source of ["pixel", "sdk"] as const) {
      const p = deriveProfile([
        ev.add({ id: "a", at: 0, ids: { clientId: "b1" }, source }, "11"),
        ev.identify({ id: "i", at: 10, ids: { clientId: "b1", email: "victim@example.com", phone: "+15550100" }, source }, { firstName: "Click here", marketingConsent: "subscribed" }),
        { ...ev.checkout({ id: "c", at: 20, ids: { clientId: "b1", email: "victim@example.com" }, source }), acceptsMarketing: true } as CartEvent,
      ]);
      expect(p).toMatchObject({ email: null, unverifiedEmail: "victim@example.com", phone: null, firstName: null, marketingConsent: "unknown", acceptsMarketingAtCheckout: null });
    }
  });

  it("makes the address mailable once a Shopify-signed or secret-key source names it", () => {
    const browser = ev.identify({ id: "i", at: 10, ids: { clientId: "b1", email: "ana@example.com" }, source: "pixel" }, { marketingConsent: "subscribed" });
    for (const source of ["webhook", "api", "admin"] as const) {
      const p = deriveProfile([browser, ev.identify({ id: "t", at: 20, ids: { email: "ana@example.com" }, source }, { marketingConsent: "subscribed" })]);
      expect(p).toMatchObject({ email: "ana@example.com", marketingConsent: "subscribed" });
    }
  });
});
