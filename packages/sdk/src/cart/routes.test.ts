import { describe, expect, it } from "vitest";
import { matchCartMutation } from "./routes.ts";

const page = "https://shop.example/products/tee";

describe("matchCartMutation", () => {
  it("recognises every Ajax Cart mutation with and without .js", () => {
    for (const kind of ["add", "change", "update", "clear"]) {
      expect(matchCartMutation(`/cart/${kind}.js`, page)).toBe(kind);
      expect(matchCartMutation(`/cart/${kind}`, page)).toBe(kind);
      expect(matchCartMutation(`https://shop.example/cart/${kind}.js?sections=cart-drawer`, page)).toBe(kind);
    }
  });

  it("finds mutations under a locale root from Shopify.routes.root and under a bare locale", () => {
    expect(matchCartMutation("/fr/cart/add.js", "https://shop.example/fr/products/tee", "/fr/")).toBe("add");
    expect(matchCartMutation("/en-ca/cart/change", page)).toBe("change");
  });

  it("ignores reads, other paths and other origins", () => {
    expect(matchCartMutation("/cart.js", page)).toBeNull();
    expect(matchCartMutation("/cart", page)).toBeNull();
    expect(matchCartMutation("/cart/addition.js", page)).toBeNull();
    expect(matchCartMutation("/products/cart/add.js", page)).toBeNull();
    expect(matchCartMutation("https://other.example/cart/add.js", page)).toBeNull();
    expect(matchCartMutation("http://[bad", page)).toBeNull();
  });
});
