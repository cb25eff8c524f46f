import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type Envelope, parseEvent } from "./parse.ts";
import { fromPixelEvent } from "./pixel.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../../../fixtures/shopify");
const envelope: Envelope = { shop: "demo.myshopify.com", receivedAt: new Date("2026-01-01T00:00:00Z"), source: "sdk" };

function pixel(file: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, "web-pixel-events", file), "utf8"));
}

describe("wire events", () => {
  it("normalizes an Added to Cart from a browser: GID, decimal price, lower-case currency", () => {
    const result = parseEvent(
      { id: "e1", name: "Added to Cart", occurredAt: "2026-01-01T10:00:00.000Z", variantId: "gid://shopify/ProductVariant/704912205188288575", quantity: 2, price: "19.99", currency: "usd", cartToken: "c1-abc?key=secret", email: "Jane@Example.com" },
      envelope,
    );
    expect(result.type).toBe("ok");
    if (result.type !== "ok" || result.event.name !== "Added to Cart") throw new Error("expected Added to Cart");
    expect(result.event.line).toMatchObject({ variantId: "704912205188288575", quantity: 2, unitPrice: 1999, currency: "USD" });
    expect(result.event.identifiers).toEqual({ cartToken: "c1-abc", email: "jane@example.com" });
    expect(result.event.source).toBe("sdk");
  });

  it("takes /cart.js minor units as they are and merges lines of one variant", () => {
    const result = parseEvent(
      { id: "s1", name: "Cart Snapshot", occurredAt: "2026-01-01T10:00:00Z", cartToken: "c1-x", currency: "CAD", lines: [{ variantId: 38558517710, quantity: 1, priceMinor: 58000 }, { variantId: "38558517710", quantity: 2, priceMinor: 58000 }, { variantId: 5, quantity: 0 }] },
      envelope,
    );
    if (result.type !== "ok" || result.event.name !== "Cart Snapshot") throw new Error(JSON.stringify(result));
    expect(result.event.lines).toEqual([expect.objectContaining({ variantId: "38558517710", quantity: 3, unitPrice: 58000, currency: "CAD" })]);
  });

  it.each([
    [{ id: "x", name: "Added to Carts", occurredAt: "2026-01-01T00:00:00Z", variantId: "1" }, "events[0].name", /unknown event name/],
    [{ id: "x", name: "Added to Cart", occurredAt: "2026-01-01T00:00:00Z" }, "events[0].variantId", /./],
    [{ id: "x", name: "Added to Cart", occurredAt: "yesterday", variantId: "1" }, "events[0].occurredAt", /ISO 8601/],
    [{ id: "x", name: "Added to Cart", occurredAt: "2026-01-01T00:00:00Z", variantId: "1", quantity: "2" }, "events[0].quantity", /number/],
    [{ id: "x", name: "Added to Cart", occurredAt: "2026-01-01T00:00:00Z", variantId: "1", price: 5 }, "events[0].price", /currency/],
    [{ name: "Added to Cart", occurredAt: "2026-01-01T00:00:00Z", variantId: "1" }, "events[0].id", /./],
    [{ id: "x", name: "Cart Snapshot", occurredAt: "2026-01-01T00:00:00Z", lines: [] }, "events[0].cartToken", /./],
    [{ id: "x", name: "Charged", occurredAt: "2026-01-01T00:00:00Z", orderId: "gid://shopify/Order/12", total: "ten", currency: "USD" }, "events[0].total", /decimal/],
  ])("rejects %j naming the field", (input, field, reason) => {
    const result = parseEvent(input, envelope, "events[0]");
    expect(result.type).toBe("rejected");
    if (result.type !== "rejected") return;
    expect(result.field).toBe(field);
    expect(result.reason).toMatch(reason);
  });
});

describe("web pixel events", () => {
  it("turns every captured cart-related pixel event into a valid event", () => {
    const dir = path.join(FIXTURES, "web-pixel-events");
    const names: string[] = [];
    for (const file of readdirSync(dir)) {
      const translated = fromPixelEvent(pixel(file));
      if (translated.type !== "ok") continue;
      const result = parseEvent(translated.event, { ...envelope, source: "pixel" });
      if (result.type !== "ok") throw new Error(`${file}: ${JSON.stringify(result)}`);
      names.push(result.event.name);
    }
    expect(new Set(names)).toEqual(new Set(["Added to Cart", "Removed from Cart", "Cart Snapshot", "Checkout Started", "Identify", "Charged"]));
  });

  it("reads the cart token, numeric-string variant ids and number prices of cart_viewed", () => {
    const translated = fromPixelEvent(pixel("valmi__cart_viewed.json"));
    if (translated.type !== "ok") throw new Error("expected ok");
    const result = parseEvent(translated.event, { ...envelope, source: "pixel" });
    if (result.type !== "ok" || result.event.name !== "Cart Snapshot") throw new Error("expected snapshot");
    expect(result.event.identifiers.cartToken).toBe("Z2NwLXVzLWNlbnRyYWwxOjAxSEtZMllEN0NZTkEwRVo3QlpHMkUyMEo4");
    expect(result.event.lines.map((l) => [l.variantId, l.quantity, l.unitPrice])).toEqual([
      ["44843037917398", 2, 62995],
      ["44843038015702", 1, 74995],
    ]);
  });

  it("takes the order id from checkout_completed's OrderIdentity GID", () => {
    // Newer pixels send the order as an OrderIdentity GID (seen in captures we cannot ship; see fixtures/real).
    const event = pixel("valmi__checkout_completed.json") as { data: { checkout: { order: { id: string } } } };
    event.data.checkout.order.id = "gid://shopify/OrderIdentity/5364716830934";
    const translated = fromPixelEvent(event);
    if (translated.type !== "ok") throw new Error("expected ok");
    const result = parseEvent(translated.event, { ...envelope, source: "pixel" });
    if (result.type !== "ok" || result.event.name !== "Charged") throw new Error("expected Charged");
    expect(result.event).toMatchObject({ orderId: "5364716830934", total: 88494, currency: "INR" });
    expect(result.event.identifiers).toMatchObject({ checkoutToken: "dd84dba9362eab31f3513ebd3bd82b6c" });
  });

  it("skips events that say nothing about a cart", () => {
    expect(fromPixelEvent(pixel("valmi__product_viewed.json")).type).toBe("not_cart");
    expect(fromPixelEvent({ name: "Added to Cart" }).type).toBe("not_pixel");
  });
});
