import { describe, expect, it } from "vitest";
import { buildRecoveryUrl } from "./recovery-url.ts";

describe("buildRecoveryUrl", () => {
  it("builds a cart permalink that lands on the cart with the exact variants and quantities", () => {
    const result = buildRecoveryUrl({
      shopDomain: "Demo-Store.myshopify.com",
      lines: [
        { variantId: "47331074113812", quantity: 2 },
        { variantId: "50407353286960", quantity: 1 },
      ],
    });
    expect(result).toEqual({ type: "ok", url: "https://demo-store.myshopify.com/cart/47331074113812:2,50407353286960:1?storefront=true" });
  });

  it("merges repeated variants so the cart is not doubled", () => {
    const result = buildRecoveryUrl({ shopDomain: "shop.example", lines: [{ variantId: "1", quantity: 1 }, { variantId: "2", quantity: 1 }, { variantId: "1", quantity: 3 }] });
    expect(result.type === "ok" && new URL(result.url).pathname).toBe("/cart/1:4,2:1");
  });

  it("adds tracking, utm and discount parameters, encoded", () => {
    const result = buildRecoveryUrl({
      shopDomain: "shop.example",
      lines: [{ variantId: "1", quantity: 1 }],
      token: "rt_abc-123",
      discountCode: "COME BACK&10",
      utm: { source: "cartback", medium: "email", campaign: "abandoned cart" },
    });
    if (result.type !== "ok") throw new Error(result.message);
    const url = new URL(result.url);
    expect(url.searchParams.get("storefront")).toBe("true");
    expect(url.searchParams.get("cartback_token")).toBe("rt_abc-123");
    expect(url.searchParams.get("discount")).toBe("COME BACK&10");
    expect(url.searchParams.get("utm_campaign")).toBe("abandoned cart");
    expect(url.searchParams.get("utm_medium")).toBe("email");
  });

  it("names the field when the input cannot make a safe link", () => {
    expect(buildRecoveryUrl({ shopDomain: "evil.com/phish?x=", lines: [{ variantId: "1", quantity: 1 }] })).toMatchObject({ type: "invalid_input", field: "shopDomain" });
    expect(buildRecoveryUrl({ shopDomain: "shop.example", lines: [] })).toMatchObject({ type: "invalid_input", field: "lines" });
    expect(buildRecoveryUrl({ shopDomain: "shop.example", lines: [{ variantId: "gid://shopify/ProductVariant/1", quantity: 1 }] })).toMatchObject({ type: "invalid_input", field: "lines.0.variantId" });
    expect(buildRecoveryUrl({ shopDomain: "shop.example", lines: [{ variantId: "1", quantity: 0 }] })).toMatchObject({ type: "invalid_input", field: "lines.0.quantity" });
    expect(buildRecoveryUrl({ shopDomain: "shop.example", lines: [{ variantId: "1", quantity: 1 }], token: "a b" })).toMatchObject({ type: "invalid_input", field: "token" });
  });

  it("lands on the storefront origin when one is known (primary domain, or a local demo storefront)", () => {
    const lines = [{ variantId: "46100000000000", quantity: 2 }];
    expect(buildRecoveryUrl({ shopDomain: "demo.myshopify.com", storefrontOrigin: "http://127.0.0.1:4000", lines })).toEqual({ type: "ok", url: "http://127.0.0.1:4000/cart/46100000000000:2?storefront=true" });
    expect(buildRecoveryUrl({ shopDomain: "demo.myshopify.com", storefrontOrigin: "https://www.shop.example", lines })).toMatchObject({ url: "https://www.shop.example/cart/46100000000000:2?storefront=true" });
    expect(buildRecoveryUrl({ shopDomain: "demo.myshopify.com", storefrontOrigin: "https://www.shop.example/path", lines })).toMatchObject({ type: "invalid_input", field: "storefrontOrigin" });
  });
});
