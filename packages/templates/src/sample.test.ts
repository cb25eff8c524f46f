import type { CatalogRow } from "@cartback/core/catalog/row";
import { describe, expect, it } from "vitest";
import { previewEmail } from "./preview.ts";
import { pickSampleRows, sampleRenderInput } from "./sample.ts";

const row = (id: string, over: Partial<CatalogRow> = {}): CatalogRow => ({
  Identity: id, Name: `Own product ${id}`, ImageURL: `https://cdn.shopify.com/s/files/1/own/${id}.jpg`, Price: 1000, CompareAtPrice: null,
  Currency: "EUR", ProductURL: null, SKU: null, Available: true, InventoryQuantity: null, Vendor: null, ProductType: null,
  Handle: null, ProductId: id, Status: "active", UpdatedAt: null, ...over,
});

/** Every absolute URL in a value, wherever it sits. */
const urlsIn = (value: unknown) => JSON.stringify(value).match(/https?:\/\/[^"\s\\]+/g) ?? [];

describe("sample cart", () => {
  it("without the shop's products, points nowhere outside the shop: no pictures, every URL on the shop's domain", () => {
    const input = sampleRenderInput({ shop: { domain: "my-shop.myshopify.com" } });
    expect(input.catalogRows.map((r) => r.ImageURL)).toEqual([null, null, null]);
    const urls = urlsIn(input);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(new URL(url).hostname).toBe("my-shop.myshopify.com");
  });

  it("renders the default template without pictures: no <img>, the 'No image' box per line", () => {
    const result = previewEmail();
    if (result.type !== "ok") throw new Error(JSON.stringify(result));
    expect(result.itemCount).toBe(3);
    expect(result.html).not.toMatch(/<img\b/);
    expect(result.html.match(/class="no-image"/g)).toHaveLength(3);
    expect(result.text).toContain("Sample Hoodie - Large");
  });

  it("uses the shop's own products when given: their names, pictures and prices in the shop's currency", () => {
    const input = sampleRenderInput({ shop: { currency: "EUR", money_format: "{{amount_with_comma_separator}} €" }, products: [row("11", { Price: 2450 }), row("12")] });
    expect(input.catalogRows.map((r) => [r.Name, r.ImageURL])).toEqual([
      ["Own product 11", "https://cdn.shopify.com/s/files/1/own/11.jpg"],
      ["Own product 12", "https://cdn.shopify.com/s/files/1/own/12.jpg"],
    ]);
    expect(input.lines).toEqual([
      { variantId: "11", quantity: 2, unitPrice: 2450, currency: "EUR" },
      { variantId: "12", quantity: 1, unitPrice: 1000, currency: "EUR" },
    ]);
    const result = previewEmail(undefined, input);
    expect(result.type === "ok" && result.html).toContain("49,00 €"); // 2 × 24,50 €
    expect(result.type === "ok" && result.html).toContain('src="https://cdn.shopify.com/s/files/1/own/11_160x.jpg"');
  });

  it("picks at most three rows: available first, one variant per product first, only priced rows in the shop's currency", () => {
    const rows = [
      row("1", { Available: false }),
      row("2", { ProductId: "p" }),
      row("3", { ProductId: "p" }),
      row("4", { Currency: "USD" }),
      row("5", { Price: null }),
      row("6"),
    ];
    expect(pickSampleRows(rows, "EUR").map((r) => r.Identity)).toEqual(["2", "6", "1"]);
    expect(pickSampleRows(rows.slice(3, 5), "EUR")).toEqual([]);
    // Nothing usable: the made-up imageless rows, not an empty cart.
    expect(sampleRenderInput({ shop: { currency: "EUR" }, products: rows.slice(3, 5) }).catalogRows.map((r) => r.ImageURL)).toEqual([null, null, null]);
  });
});
