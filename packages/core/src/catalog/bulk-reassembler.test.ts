import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BulkReassembler } from "./bulk-reassembler.ts";
import { BULK_PRODUCTS, BULK_VARIANTS, fixtureText } from "./fixtures.test-helpers.ts";
import type { CatalogRow } from "./row.ts";
import { type ProductFacts, type VariantFacts, variantRow } from "./variant-row.ts";

const ctx = { currency: "CAD", storefrontOrigin: "https://atomic-digital-studio-test.myshopify.com" };
const realLines = () => [...fixtureText(BULK_PRODUCTS).split("\n"), ...fixtureText(BULK_VARIANTS).split("\n")].filter((l) => l.trim() !== "");

/**
 * Feeds `lines` through a reassembler with a window of `window` products and joins what it
 * spills in memory, as the sync does in its staging table.
 */
function run(lines: string[], window?: number): { rows: CatalogRow[]; errors: string[]; orphans: number; spilledVariants: number } {
  const rows: CatalogRow[] = [];
  const products = new Map<string, ProductFacts>();
  const variants: Array<[string, VariantFacts]> = [];
  const r = new BulkReassembler(ctx, {
    row: (row) => rows.push(row),
    spillProduct: (product) => products.set(product.id, product),
    spillVariant: (parent, variant) => variants.push([parent, variant]),
  }, window);
  const errors: string[] = [];
  lines.forEach((line, i) => {
    const result = r.pushLine(line, i + 1);
    if (result) errors.push(`${result.line}: ${result.reason}`);
  });
  r.finish();
  let orphans = 0;
  for (const [parent, variant] of variants) {
    const product = products.get(parent);
    if (product) rows.push(variantRow(product, variant, ctx));
    else orphans++;
  }
  return { rows, errors, orphans, spilledVariants: variants.length };
}

const byId = (rows: CatalogRow[]) => [...rows].sort((a, b) => a.Identity.localeCompare(b.Identity));

describe("BulkReassembler on real bulk JSONL", () => {
  it("builds one row per variant with CleverTap columns", () => {
    const { rows, errors, orphans } = run(realLines());
    expect(errors).toEqual([]);
    expect(orphans).toBe(0);
    expect(rows).toHaveLength(6);
    const small = rows.find((row) => row.Identity === "41007759589582")!;
    expect(small).toMatchObject({
      Name: "Test Product - Small",
      Price: 100,
      Currency: "CAD",
      ProductId: "6950279086286",
      Handle: "test-product",
      Vendor: "Gatsby",
      ProductType: "Test Type",
      Status: "ACTIVE",
      Available: true,
      InventoryQuantity: 1,
      SKU: null,
      ProductURL: "https://atomic-digital-studio-test.myshopify.com/products/test-product?variant=41007759589582",
    });
    expect(small.ImageURL).toMatch(/^https:\/\/cdn\.shopify\.com\/.+placeholder_/);
  });

  it("leaves ImageURL null when neither the variant nor the product has an image", () => {
    const copy = run(realLines()).rows.find((row) => row.Identity === "41009157243086")!;
    expect(copy).toMatchObject({ Name: "Copy of Test Product - Small", ImageURL: null, Available: false });
  });

  it("gives the same rows whatever the line order, children before parents included", () => {
    const expected = byId(run(realLines()).rows);
    fc.assert(
      fc.property(fc.shuffledSubarray(realLines(), { minLength: realLines().length }), (shuffled) => {
        expect(byId(run(shuffled).rows)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
    expect(byId(run([...realLines()].reverse()).rows)).toEqual(expected);
  });

  it("falls back to the product's featured image and skips Default Title", () => {
    const lines = [
      JSON.stringify({ id: "gid://shopify/ProductVariant/9007199254740993", title: "Default Title", price: "5.00", image: null, __parentId: "gid://shopify/Product/9007199254740995" }),
      JSON.stringify({ id: "gid://shopify/Product/9007199254740995", title: "Crème <b>brûlée</b> & “tea” 🍵", handle: "creme", status: "DRAFT", featuredMedia: { preview: { image: { url: "https://cdn.example/f.png" } } } }),
    ];
    const { rows } = run(lines);
    expect(rows).toEqual([expect.objectContaining({
      Identity: "9007199254740993",
      ProductId: "9007199254740995",
      Name: "Crème <b>brûlée</b> & “tea” 🍵",
      ImageURL: "https://cdn.example/f.png",
      Price: 500,
    })]);
  });

  it("reports malformed lines by number and counts orphans", () => {
    const lines = [realLines()[0]!, "{not json", JSON.stringify({ id: "gid://shopify/ProductVariant/1", __parentId: "gid://shopify/Product/404" })];
    const { errors, orphans } = run(lines);
    expect(errors).toEqual(["2: not valid JSON"]);
    expect(orphans).toBe(1);
  });
});

describe("BulkReassembler window", () => {
  it("gives the same rows with a window of one product, whatever the line order, spilling what falls out of it", () => {
    const expected = byId(run(realLines()).rows);
    fc.assert(
      fc.property(fc.shuffledSubarray(realLines(), { minLength: realLines().length }), (shuffled) => {
        const small = run(shuffled, 1);
        expect(small.orphans).toBe(0);
        expect(byId(small.rows)).toEqual(expected);
      }),
      { numRuns: 50 },
    );
  });

  it("spills nothing when every variant follows its product within the window", () => {
    // The capture lists every product, then every variant.
    expect(run(realLines()).spilledVariants).toBe(0);
    const none = run(realLines(), 0);
    expect(none.spilledVariants).toBe(6);
    expect(byId(none.rows)).toEqual(byId(run(realLines()).rows));
  });
});

describe("BulkReassembler duplicates", () => {
  const product = '{"id":"gid://shopify/Product/1","title":"Board","handle":"board"}';
  const variant = (id: string) => `{"id":"gid://shopify/ProductVariant/${id}","title":"Default Title","price":"1.00","__parentId":"gid://shopify/Product/1"}`;

  it("hands a variant listed twice on twice (the sync's insert keeps one), and keeps ids above 2^53 apart", () => {
    const { rows, errors } = run([product, variant("41007759589582"), variant("41007759589582"), variant("9007199254740993"), variant("9007199254740992"), variant("9007199254740993")]);
    expect(errors).toEqual([]);
    expect([...new Set(rows.map((r) => r.Identity))].sort()).toEqual(["41007759589582", "9007199254740992", "9007199254740993"]);
    expect(rows).toHaveLength(5);
  });
});
