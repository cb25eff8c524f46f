import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cartSignature, diffCarts, parseCartJs } from "./state.ts";

const fixtures = path.resolve(import.meta.dirname, "../../../../fixtures/shopify/ajax-cart/shopify-theme-scripts");
const populated = JSON.parse(readFileSync(path.join(fixtures, "packages__theme-cart____fixtures____cart-populated.json"), "utf8"));
const empty = JSON.parse(readFileSync(path.join(fixtures, "packages__theme-cart____fixtures____cart-empty.json"), "utf8"));

describe("parseCartJs", () => {
  it("reads Shopify's captured /cart.js: digit-string ids, minor-unit prices, currency", () => {
    const cart = parseCartJs(populated);
    expect(cart).toMatchObject({ token: "6475a6c35b7fd07fe832782fb341a83b", currency: "CAD" });
    expect(cart?.lines).toEqual([
      expect.objectContaining({ variantId: "38558517710", productId: "10270178382", quantity: 1, price: 58000, title: "Ratio Eight - Nickel / 110 Volts" }),
    ]);
    expect(parseCartJs(empty)?.lines).toEqual([]);
  });

  it("drops the ?key= secret from the token and sums a variant split over lines", () => {
    const cart = parseCartJs({
      token: "c1-abc?key=secret",
      currency: "USD",
      items: [
        { id: 1, variant_id: 1, quantity: 2, price: 100, properties: { engraving: "A" } },
        { id: 1, variant_id: 1, quantity: 1, price: 100, properties: { engraving: "B" } },
      ],
    });
    expect(cart?.token).toBe("c1-abc");
    expect(cart?.lines).toEqual([expect.objectContaining({ variantId: "1", quantity: 3 })]);
  });

  it("returns null for bodies that are not carts", () => {
    expect(parseCartJs({ status: 422, message: "Cart Error" })).toBeNull();
    expect(parseCartJs(null)).toBeNull();
  });
});

describe("diffCarts", () => {
  const cart = (token: string, lines: Array<[string, number]>) =>
    parseCartJs({ token, currency: "USD", items: lines.map(([id, quantity]) => ({ variant_id: Number(id), quantity, price: 500 })) })!;

  it("derives added and removed quantities between two reads", () => {
    const delta = diffCarts(cart("c1-a", [["1", 1], ["2", 3]]), cart("c1-a", [["1", 4], ["3", 1]]));
    expect(delta.added.map((d) => [d.line.variantId, d.quantity])).toEqual([["1", 3], ["3", 1]]);
    expect(delta.removed.map((d) => [d.line.variantId, d.quantity])).toEqual([["2", 3]]);
  });

  it("treats a new token as a new cart, never as removals from the old one (it may have been bought)", () => {
    const delta = diffCarts(cart("c1-old", [["1", 2]]), cart("c1-new", [["2", 1]]));
    expect(delta.removed).toEqual([]);
    expect(delta.added.map((d) => d.line.variantId)).toEqual(["2"]);
  });

  it("signs carts independently of line order", () => {
    expect(cartSignature(cart("c1-a", [["1", 1], ["2", 2]]))).toBe(cartSignature(cart("c1-a", [["2", 2], ["1", 1]])));
    expect(cartSignature(cart("c1-a", [["1", 1]]))).not.toBe(cartSignature(cart("c1-a", [["1", 2]])));
  });
});
