import { type CatalogContext, type ProductFacts, type VariantFacts, variantRow } from "@cartback/core/catalog/variant-row";
import { catalogRows } from "@cartback/db/schema/index";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { expect, it } from "vitest";
import { CopyTextBuffer, type CopyTable, type CopyValue, copyRows } from "./copy-rows.ts";
import { PRODUCT_PARTS, productParts, VARIANT_PARTS, variantParts } from "./row-parts.ts";
import { rowFromRecord } from "./rows-sql.ts";
import { clearStaging, insertStagedRows } from "./staged-rows.ts";

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const time = maybe(fc.constantFrom("2026-11-01T10:00:00Z", "2026-11-01T12:00:00+02:00", "2026-02-29T23:59:59Z", "2026-11-01T10:00:00.500Z", "not a time"));
const text = fc.constantFrom("Tee", "Tee “Ünïcode” 🛒", "a\tb\\c\nd", "Default Title", " Small ", "", "x?y");

const product = (id: string): fc.Arbitrary<ProductFacts> => fc.record({
  id: fc.constant(id), title: text, handle: maybe(fc.constantFrom("tee", "tée shirt/2", "")), vendor: maybe(text), productType: maybe(text),
  status: maybe(fc.constantFrom("ACTIVE", "DRAFT", "ARCHIVED")), updatedAt: time,
  onlineStoreUrl: maybe(fc.constantFrom("https://shop.example/products/tee", "https://shop.example/p?id=1")),
  featuredImageUrl: maybe(fc.constant("https://cdn.example/p.png")),
});

const variant = (id: string): fc.Arbitrary<VariantFacts> => fc.record({
  id: fc.constant(id), title: maybe(text), sku: maybe(fc.constantFrom("SKU-1", "")), price: maybe(fc.constantFrom("19.99", "0", "1234567.5", "abc")),
  compareAtPrice: maybe(fc.constantFrom("25.00", "")), inventoryQuantity: maybe(fc.integer({ min: -3, max: 3 })), availableForSale: maybe(fc.boolean()),
  inventoryPolicy: maybe(fc.constantFrom("CONTINUE", "deny", "continue")), imageUrl: maybe(fc.constant("https://cdn.example/v.png")), updatedAt: time,
});

describeEachDatabase("rows built from staged parts", (database) => {
  const stage = async (table: CopyTable, rows: CopyValue[][]) => {
    const batch = new CopyTextBuffer();
    for (const r of rows) batch.add(r);
    await copyRows(database().db, database().kind, table, batch.payload());
  };
  const built = async (shop: string) =>
    (await database().db.select().from(catalogRows).where(eq(catalogRows.shop, shop))).map(rowFromRecord).sort((a, b) => a.Identity.localeCompare(b.Identity));

  for (const currency of ["EUR", "JPY"]) {
    it(`equal variantRow's for every mix of product and variant facts (${currency})`, async () => {
      const shop = randomShop();
      const staging = { shop, syncId: "sync-1" };
      const target = { shop, catalog: "shopify-catalog", version: 1 };
      const ctx: CatalogContext = { currency, storefrontOrigin: `https://${shop}` };
      const products = fc.sample(fc.integer({ min: 1, max: 1e6 }).chain((n) => product(String(9_007_199_254_740_993n + BigInt(n)))), { numRuns: 60, seed: 18 });
      const unique = [...new Map(products.map((p) => [p.id, p])).values()];
      const pairs = unique.flatMap((p, i) => fc.sample(variant(`${p.id}${i}`), { numRuns: 3, seed: i }).map((v, j) => ({ p, v: { ...v, id: `${v.id}${j}` } })));
      await stage(PRODUCT_PARTS, unique.map((p, i) => productParts(staging, i, p, ctx)));
      await stage(VARIANT_PARTS, pairs.map(({ p, v }, i) => variantParts(staging, i, p.id, v, ctx)));
      expect(await insertStagedRows(database().db, database().kind, target, staging, currency, pairs.length)).toEqual({ rows: pairs.length, orphans: 0 });
      const expected = pairs.map(({ p, v }) => variantRow(p, v, ctx)).sort((a, b) => a.Identity.localeCompare(b.Identity));
      expect(await built(shop)).toEqual(expected);
      await clearStaging(database().db, shop);
    });
  }

  it("keeps the first listing of a variant or product listed twice, counts orphans once, and leaves rows already written", async () => {
    const shop = randomShop();
    const staging = { shop, syncId: "sync-2" };
    const target = { shop, catalog: "shopify-catalog", version: 1 };
    const ctx: CatalogContext = { currency: "USD", storefrontOrigin: `https://${shop}` };
    const [p1, p1Again] = fc.sample(product("1"), { numRuns: 2, seed: 7 }).map((p, i) => ({ ...p, title: `first ${i}` }));
    const [v1, v1Again, v2, orphan] = fc.sample(variant("x"), { numRuns: 4, seed: 8 });
    await stage(PRODUCT_PARTS, [productParts(staging, 0, p1!, ctx), productParts(staging, 5, p1Again!, ctx)]);
    await stage(VARIANT_PARTS, [
      variantParts(staging, 1, "1", { ...v1!, id: "11", title: "one" }, ctx),
      variantParts(staging, 2, "1", { ...v1Again!, id: "11", title: "again" }, ctx),
      variantParts(staging, 3, "1", { ...v2!, id: "12" }, ctx),
      variantParts(staging, 4, "404", { ...orphan!, id: "13" }, ctx),
      variantParts(staging, 6, "404", { ...orphan!, id: "13" }, ctx),
    ]);
    // Written straight from the window before the join: it stays.
    await stage({ table: "catalog_rows", columns: ["shop", "catalog", "version", "identity", "name", "currency", "available"] },
      [[shop, "shopify-catalog", 1, "12", "direct", "USD", true]]);
    expect(await insertStagedRows(database().db, database().kind, target, staging, "USD", 5)).toEqual({ rows: 1, orphans: 1 });
    const rows = await built(shop);
    expect(rows.map((r) => [r.Identity, r.Name])).toEqual([["11", "first 0 - one"], ["12", "direct"]]);
    await clearStaging(database().db, shop, "sync-2");
    const left = await database().query("select (select count(*) from catalog_sync_products where shop = $1) + (select count(*) from catalog_sync_variants where shop = $1) as n", [shop]);
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
