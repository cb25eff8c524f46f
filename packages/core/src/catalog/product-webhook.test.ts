import { describe, expect, it } from "vitest";
import { fixtureText, PRODUCTS_2025_EXEMPLAR, PRODUCTS_UPDATE_WEBHOOK, SHOPIFY_FIXTURES } from "./fixtures.test-helpers.ts";
import { parseJsonKeepingBigIds } from "./ids.ts";
import { productUpdate, RestProduct } from "./product-webhook.ts";
import { readFileSync } from "node:fs";
import path from "node:path";

const ctx = { currency: "USD", storefrontOrigin: "https://shop.myshopify.com" };

describe("productUpdate from a products/update webhook", () => {
  it("keys rows by the exact variant id from admin_graphql_api_id, above 2^53", () => {
    const product = RestProduct.parse(parseJsonKeepingBigIds(fixtureText(PRODUCTS_UPDATE_WEBHOOK)));
    const update = productUpdate(product, ctx)!;
    expect(update.productId).toBe("788032119674292922");
    expect(update.rows.map((row) => row.Identity)).toEqual(["642667041472713922", "757650484644203962"]);
    expect(update.rows[0]).toMatchObject({
      Name: "Example T-Shirt - Small",
      Price: 1999,
      CompareAtPrice: 2499,
      InventoryQuantity: 75,
      Available: true,
      ImageURL: null,
      Status: "ACTIVE",
      Vendor: "Acme",
      ProductURL: "https://shop.myshopify.com/products/example-t-shirt?variant=642667041472713922",
      UpdatedAt: "2022-01-01T00:00:00.000Z",
    });
    expect(update.keepVariantIds.sort()).toEqual(["642667041472713922", "757650484644203962"]);
  });

  it("uses the variant's image, else the product's featured image", () => {
    const product = RestProduct.parse({
      id: "8546664251674", title: "Bag", handle: "bag", status: "active",
      image: { id: 1, src: "https://cdn.example/featured.png" },
      images: [{ id: 1, src: "https://cdn.example/featured.png" }, { id: "48389091721498765", src: "https://cdn.example/red.png" }],
      variants: [
        { id: "46339595927834", title: "Red", price: "70.00", image_id: "48389091721498765", inventory_quantity: 0, inventory_policy: "deny" },
        { id: "46339595927835", title: "Blue", price: "70.00", image_id: null, inventory_quantity: 0, inventory_policy: "continue" },
      ],
    });
    const rows = productUpdate(product, ctx)!.rows;
    expect(rows.map((r) => [r.ImageURL, r.Available])).toEqual([
      ["https://cdn.example/red.png", false],
      ["https://cdn.example/featured.png", true],
    ]);
  });

  it("reads every product of an Admin REST dump", () => {
    const dump = JSON.parse(readFileSync(path.join(SHOPIFY_FIXTURES, "generated/admin-rest-products.json"), "utf8")) as { products: unknown[] };
    const rows = dump.products.flatMap((p) => productUpdate(RestProduct.parse(p), ctx)!.rows);
    expect(rows.length).toBeGreaterThan(47);
    expect(new Set(rows.map((r) => r.Identity)).size).toBe(rows.length);
    expect(rows.every((r) => r.Price !== null && r.Name.length > 0)).toBe(true);
  });

  it("accepts the 2025-04 exemplar shape", () => {
    const parsed = RestProduct.safeParse(parseJsonKeepingBigIds(fixtureText(PRODUCTS_2025_EXEMPLAR)));
    expect(parsed.success).toBe(true);
  });
});
