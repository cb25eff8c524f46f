import type { CatalogRow } from "@cartback/core/catalog/row";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { describe, expect, it } from "vitest";
import { insertJsonRows, storableJson, upsertRows } from "./rows-sql.ts";

function row(n: number, name = `Tee “Ünïcode” 🛒 ${n}`): CatalogRow {
  return {
    Identity: String(9_007_199_254_740_993n + BigInt(n)), Name: name, ImageURL: null, Price: 1999 + n, CompareAtPrice: null,
    Currency: "EUR", ProductURL: `https://shop.example/products/tee?variant=${n}`, SKU: n % 2 ? `SKU-${n}` : null, Available: n % 3 !== 0,
    InventoryQuantity: n, Vendor: "Cartback", ProductType: null, Handle: "tee", ProductId: "42", Status: "ACTIVE", UpdatedAt: "2026-11-01T10:00:00.000Z",
  };
}

describe("storableJson", () => {
  it("turns a lone surrogate into U+FFFD and drops NUL, which PostgreSQL cannot keep in text", () => {
    expect(JSON.parse(storableJson(row(1, "half \ud83d of an emoji\u0000, whole 🛒"))).Name).toBe("half \ufffd of an emoji, whole 🛒");
  });
});

describeEachDatabase("catalog rows as JSON", (database, target) => {
  const names = async (shop: string) =>
    (await database().query("select identity, name, price, available, extra from catalog_rows where shop = $1 order by identity", [shop])).rows;

  it("inserts a batch as the driver takes it (bytes on PostgreSQL, text on PGlite), big ids and odd text intact", async () => {
    const shop = randomShop();
    const rows = [row(1), row(2, "broken \udc00 pair\u0000"), row(3, 'quotes " and \\ backslash')];
    const json = `[${rows.map(storableJson).join(",")}]`;
    await insertJsonRows(database().db, { shop, catalog: "shopify-catalog", version: 1 }, target === "pglite" ? json : Buffer.from(json), "insert");
    expect(await names(shop)).toEqual([
      { identity: rows[0]!.Identity, name: rows[0]!.Name, price: 2000, available: true, extra: null },
      { identity: rows[1]!.Identity, name: "broken \ufffd pair", price: 2001, available: true, extra: null },
      { identity: rows[2]!.Identity, name: 'quotes " and \\ backslash', price: 2002, available: false, extra: null },
    ].map((r) => ({ ...r, price: target === "pglite" ? r.price : String(r.price) })));
  });

  it("upserts CSV entries with their extra columns, and keeps the newer row on a clash", async () => {
    const shop = randomShop();
    const at = { shop, catalog: "csv-one", version: 1 };
    await upsertRows(database().db, at, [{ row: row(1), extra: { Colour: "red" } }, { row: row(2), extra: {} }]);
    await upsertRows(database().db, at, [{ ...row(1, "older"), UpdatedAt: "2026-10-01T00:00:00.000Z" }, { ...row(2, "newer"), UpdatedAt: "2026-12-01T00:00:00.000Z" }]);
    const stored = await names(shop);
    expect(stored.map((r) => [r.name, r.extra])).toEqual([[row(1).Name, { Colour: "red" }], ["newer", null]]);
  });
});
