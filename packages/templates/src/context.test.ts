import { describe, expect, it } from "vitest";
import { buildScope, idsOf, joinCatalog } from "./context.ts";
import { RenderInput } from "./input.ts";
import { inputFor } from "./testing/inputs.ts";
import { hadesCartRows } from "./testing/storefront-rows.ts";

const rows = hadesCartRows(4);
const [a, b, c, d] = rows.map((row) => row.Identity) as [string, string, string, string];

describe("catalog join", () => {
  it("returns rows in property (cart) order, not catalog order", () => {
    expect(joinCatalog([c, a, d], rows).map((row) => row.Identity)).toEqual([c, a, d]);
  });

  it("drops ids whose row is gone (variant deleted) and repeats", () => {
    expect(joinCatalog([b, "99999999", b, a], rows).map((row) => row.Identity)).toEqual([b, a]);
  });

  it("reads the property as a list, a comma-joined string or a single number", () => {
    expect(idsOf([1, "2"])).toEqual(["1", "2"]);
    expect(idsOf(" 1, 2 ,,3")).toEqual(["1", "2", "3"]);
    expect(idsOf(7)).toEqual(["7"]);
    expect(idsOf(null)).toEqual([]);
    expect(idsOf(undefined)).toEqual([]);
  });
});

describe("template scope", () => {
  it("exposes the mapped catalog under its name and its alias", () => {
    const scope = buildScope(RenderInput.parse(inputFor(rows, { mapping: { alias: "Samplecatalog1" } })));
    expect(Object.keys(scope.Catalog)).toEqual(["shopify-catalog", "Samplecatalog1"]);
    expect(scope.Catalog.Samplecatalog1).toBe(scope.Catalog["shopify-catalog"]);
  });

  it("follows a campaign mapping to another property and catalog", () => {
    const input = inputFor(rows, { profile: { wishlist: `${d},${a}` }, mapping: { property: "wishlist", catalog: "merchant-csv" } });
    const scope = buildScope(RenderInput.parse(input));
    expect(scope.Catalog["merchant-csv"]?.map((row) => row.Identity)).toEqual([d, a]);
    expect(scope.Catalog["shopify-catalog"]).toBeUndefined();
  });

  it("joins cart lines to rows with quantities, line prices and totals", () => {
    const scope = buildScope(RenderInput.parse(inputFor(rows.slice(0, 2))));
    const [first, second] = scope.cart.items;
    expect(first).toMatchObject({ variant_id: a, title: rows[0]?.Name, quantity: 1, price: rows[0]?.Price, line_price: rows[0]?.Price });
    expect(second).toMatchObject({ variant_id: b, quantity: 2, line_price: (rows[1]?.Price ?? 0) * 2 });
    expect(scope.cart.item_count).toBe(3);
    expect(scope.cart.total).toBe((rows[0]?.Price ?? 0) + (rows[1]?.Price ?? 0) * 2);
    expect(scope.cart.empty).toBe(false);
  });

  it("is empty when no line has a catalog row", () => {
    const scope = buildScope(RenderInput.parse(inputFor(rows.slice(0, 2), { catalogRows: [] })));
    expect(scope.cart).toMatchObject({ items: [], item_count: 0, total: 0, empty: true });
  });
});
