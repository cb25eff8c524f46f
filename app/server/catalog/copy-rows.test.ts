import type { CatalogRow } from "@cartback/core/catalog/row";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CopyTextBuffer, copyRows } from "./copy-rows.ts";
import { ROWS_COPY, rowValues } from "./rows-sql.ts";

function row(n: number, name = `Tee “Ünïcode” 🛒 ${n}`): CatalogRow {
  return {
    Identity: String(9_007_199_254_740_993n + BigInt(n)), Name: name, ImageURL: null, Price: 1999 + n, CompareAtPrice: null,
    Currency: "EUR", ProductURL: `https://shop.example/products/tee?variant=${n}`, SKU: n % 2 ? `SKU-${n}` : null, Available: n % 3 !== 0,
    InventoryQuantity: n, Vendor: "Cartback", ProductType: null, Handle: "tee", ProductId: "42", Status: "ACTIVE", UpdatedAt: "2026-11-01T10:00:00.000Z",
  };
}

describe("CopyTextBuffer", () => {
  it("writes COPY text rows: tabs between values, \\N for null, t/f, escapes for backslash, tab and newlines, NUL dropped", () => {
    const batch = new CopyTextBuffer(8);
    batch.add(["a\tb", null, true, 12, "back\\slash\nnew\rline\u0000!", { k: "v" }]);
    batch.add([false, "🛒 half \ud83d"]);
    expect(batch.count).toBe(2);
    expect(batch.payload().toString("utf8")).toBe('a\\tb\t\\N\tt\t12\tback\\\\slash\\nnew\\rline!\t{"k":"v"}\nf\t🛒 half \ufffd\n');
    batch.clear();
    expect(batch.payload().length).toBe(0);
  });

  it("writes integers digit by digit as String() would, and other numbers through String()", () => {
    const batch = new CopyTextBuffer(4);
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.integer(), fc.constantFrom(0, -0, 9, 10, -10, 99, 100)), (n) => {
        batch.clear();
        batch.add([n, 1.5]);
        expect(batch.payload().toString("utf8")).toBe(`${String(n)}\t1.5\n`);
      }),
      { numRuns: 2000 },
    );
  });

  it("fills its buffer to the last byte before growing it, counting the bytes written", () => {
    const capacity = 8192;
    const batch = new CopyTextBuffer(capacity);
    const value = "x".repeat(1023);
    for (let i = 0; i < 8; i++) batch.add([value]);
    expect(batch.byteLength).toBe(capacity);
    expect(batch.payload().buffer.byteLength).toBe(capacity);
    batch.add(["é"]);
    expect(batch.byteLength).toBe(capacity + 3);
    expect(batch.payload().subarray(capacity).toString("utf8")).toBe("é\n");
  });
});

describeEachDatabase("catalog rows by COPY", (database, target) => {
  const stored = async (shop: string) =>
    (await database().query("select identity, name, price, available, sku from catalog_rows where shop = $1 order by identity", [shop])).rows;
  const copyBatch = async (shop: string, rows: CatalogRow[]) => {
    const batch = new CopyTextBuffer(64);
    for (const r of rows) batch.add(rowValues({ shop, catalog: "shopify-catalog", version: 1 }, r));
    await copyRows(database().db, database().kind, ROWS_COPY, batch.payload());
  };
  const price = (n: number) => (target === "pglite" ? n : String(n));

  it("stores a batch with big ids and odd text intact", async () => {
    const shop = randomShop();
    const rows = [row(1), row(2, "broken \udc00 pair\u0000"), row(3, 'quotes " and \\ backslash,\ttab\nnewline'), row(4, "\\N")];
    await copyBatch(shop, rows);
    expect(await stored(shop)).toEqual([
      { identity: rows[0]!.Identity, name: rows[0]!.Name, price: price(2000), available: true, sku: "SKU-1" },
      { identity: rows[1]!.Identity, name: "broken \ufffd pair", price: price(2001), available: true, sku: null },
      { identity: rows[2]!.Identity, name: 'quotes " and \\ backslash,\ttab\nnewline', price: price(2002), available: false, sku: "SKU-3" },
      { identity: rows[3]!.Identity, name: "\\N", price: price(2003), available: true, sku: null },
    ]);
  });

  it("keeps the first of a variant listed twice, in one batch or across batches, and the rest of the batch", async () => {
    const shop = randomShop();
    await copyBatch(shop, [row(1, "first"), row(2, "two"), row(1, "second")]);
    await copyBatch(shop, [row(2, "again"), row(3, "three")]);
    expect((await stored(shop)).map((r) => r.name)).toEqual(["first", "two", "three"]);
  });

  it("leaves nothing of a batch with a rejected row and the connection usable", async () => {
    const shop = randomShop();
    const bad = Buffer.from(`${shop}\tshopify-catalog\t1\t77\tok\t\\N\t100\t\\N\tEUR\t\\N\t\\N\tt\t1\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n${shop}\tshopify-catalog\t1\t78\tbad\t\\N\tnot-a-number\t\\N\tEUR\t\\N\t\\N\tt\t1\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\n`);
    await expect(copyRows(database().db, database().kind, ROWS_COPY, bad)).rejects.toThrow(/bigint/);
    expect(await stored(shop)).toEqual([]);
    await copyBatch(shop, [row(5)]);
    expect(await stored(shop)).toHaveLength(1);
  });
});
