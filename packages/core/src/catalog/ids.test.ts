import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fixtureText, PRODUCTS_UPDATE_WEBHOOK } from "./fixtures.test-helpers.ts";
import { gidType, numericId, parseJsonKeepingBigIds } from "./ids.ts";
import { isoTime } from "./variant-row.ts";

describe("numericId", () => {
  it("takes the digits of a GID, a digit string or a safe number", () => {
    expect(numericId("gid://shopify/ProductVariant/41007759589582")).toBe("41007759589582");
    expect(numericId("gid://shopify/InventoryLevel/91371143374?inventory_item_id=4310")).toBe("91371143374");
    expect(numericId("47331074113812")).toBe("47331074113812");
    expect(numericId(123)).toBe("123");
    expect(gidType("gid://shopify/Product/1")).toBe("Product");
  });

  it("refuses numbers above 2^53, which have already lost digits", () => {
    expect(numericId(788032119674292900)).toBeNull();
    expect(numericId("gid://shopify/Product/x")).toBeNull();
    expect(numericId(-1)).toBeNull();
  });
});

describe("parseJsonKeepingBigIds", () => {
  it("keeps integers longer than 15 digits as exact strings", () => {
    const parsed = parseJsonKeepingBigIds('{"id": 9007199254740993, "n": 12, "p": "19.99", "s": "x 12345678901234567 \\" y", "f": 1.5e3, "a": [18446744073709551615]}');
    expect(parsed).toEqual({ id: "9007199254740993", n: 12, p: "19.99", s: 'x 12345678901234567 " y', f: 1500, a: ["18446744073709551615"] });
  });

  it("reads a products/update payload with every id as text, digits above 2^53 intact", () => {
    const parsed = parseJsonKeepingBigIds(fixtureText(PRODUCTS_UPDATE_WEBHOOK)) as { id: unknown; variants: Array<{ id: unknown }> };
    expect(parsed.id).toBe("788032119674292922");
    expect(parsed.variants.map((v) => v.id)).toEqual(["642667041472713922", "757650484644203962"]);
  });
});

describe("isoTime", () => {
  const slow = (value: string) => {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString();
  };

  it("gives what Date.parse gives for GraphQL's UTC timestamps, including impossible days and hours", () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    const stamp = fc.tuple(fc.integer({ min: 1970, max: 2100 }), two(13), two(32), two(24), two(60), two(60)).map(([y, mo, d, h, mi, s]) => `${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
    fc.assert(
      fc.property(stamp, (value) => {
        expect(isoTime(value)).toBe(slow(value));
      }),
      { numRuns: 5000 },
    );
    expect(isoTime("2024-02-30T00:00:00Z")).toBe("2024-03-01T00:00:00.000Z");
    expect(isoTime("2024-05-01T10:00:00-04:00")).toBe("2024-05-01T14:00:00.000Z");
  });
});
