import { WireEvent } from "@cartback/core/events/wire";
import { describe, expect, it } from "vitest";
import { parseCartJs } from "./cart/state.ts";
import * as events from "./events.ts";

const at = new Date("2026-11-26T10:00:00.000Z");
const identity = { clientId: "5c7d3f0e-1d2c-4b3a-9f8e-7d6c5b4a3f2e", customerId: "7000000001", email: "Shopper@Example.com" };
const cart = parseCartJs({
  token: "c1-7a2b3c4d5e6f?key=0123456789abcdef",
  currency: "EUR",
  items: [
    { id: 50407353286960, variant_id: 50407353286960, product_id: 10029070909744, quantity: 2, price: 549900, title: "Bronze Ace - S", image: "https://cdn.example/a.jpg", url: "/products/bronze-ace?variant=50407353286960", sku: "" },
  ],
})!;
const line = cart.lines[0]!;

describe("SDK wire bodies", () => {
  it("Added to Cart parses with core's wire schema into the normalized line", () => {
    const parsed = WireEvent.parse(events.addedToCart("e1", at, identity, cart, line, 1));
    expect(parsed.body).toMatchObject({
      name: "Added to Cart",
      identifiers: { clientId: identity.clientId, cartToken: "c1-7a2b3c4d5e6f", customerId: "7000000001", email: "shopper@example.com" },
      line: { variantId: "50407353286960", quantity: 1, unitPrice: 549900, currency: "EUR", productId: "10029070909744", imageUrl: "https://cdn.example/a.jpg" },
    });
  });

  it("Removed from Cart and Cart Snapshot parse, the snapshot carrying every line", () => {
    expect(WireEvent.parse(events.removedFromCart("e2", at, identity, cart, line, 2)).body).toMatchObject({ name: "Removed from Cart", line: { quantity: 2 } });
    const snapshot = WireEvent.parse(events.cartSnapshot("e3", at, identity, cart));
    expect(snapshot.body).toMatchObject({ name: "Cart Snapshot", lines: [{ variantId: "50407353286960", quantity: 2, unitPrice: 549900 }] });
    const emptied = WireEvent.parse(events.cartSnapshot("e4", at, { clientId: "c" }, { ...cart, lines: [] }));
    expect(emptied.body).toMatchObject({ name: "Cart Snapshot", lines: [] });
  });

  it("Identify parses for a logged-in customer and for an email alone", () => {
    expect(WireEvent.parse(events.identify("e5", at, identity, { customerId: "7000000001" }, "login")).body).toMatchObject({ name: "Identify", via: "login" });
    expect(WireEvent.parse(events.identify("e6", at, { clientId: "c" }, { email: "a@b.co" }, "form")).body).toMatchObject({ identifiers: { email: "a@b.co" } });
  });

  it("track() sends any of the six accepted events with its own fields, under the SDK's id, time and identity", () => {
    const added = WireEvent.parse(events.tracked({ name: "Added to Cart", variantId: "50407353286960", quantity: 1, price: "54.99", currency: "EUR" }, "e8", at, identity));
    expect(added.body).toMatchObject({ name: "Added to Cart", identifiers: { clientId: identity.clientId }, line: { variantId: "50407353286960", unitPrice: 5499 } });
    const charged = WireEvent.parse(events.tracked({ name: "Charged", orderId: "1001", lines: [] }, "e9", at, { clientId: "c" }));
    expect(charged.body).toMatchObject({ name: "Charged" });
    // @ts-expect-error: a name the app does not accept is refused by the compiler, not by the server later.
    events.tracked({ name: "Viewed Product" }, "e10", at, identity);
  });

  it("keeps shop and source out of the body: the endpoint decides them", () => {
    const body = events.cartSnapshot("e7", at, identity, cart) as Record<string, unknown>;
    expect(body.shop).toBeUndefined();
    expect(body.source).toBeUndefined();
  });
});
