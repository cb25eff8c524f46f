import { describe, expect, it } from "vitest";
import { normalizeCartToken } from "./cart-token.ts";
import { parseJsonLossless } from "./json.ts";
import { currencyExponent, majorToMinor } from "../money.ts";
import { normalizeShopifyId, normalizeVariantId } from "./variant-id.ts";

describe("variant ids", () => {
  it("reduces GIDs, numeric strings and safe numbers to the same digits", () => {
    expect(normalizeVariantId("gid://shopify/ProductVariant/44843038015702")).toEqual({ type: "ok", value: "44843038015702" });
    expect(normalizeVariantId("44843038015702")).toEqual({ type: "ok", value: "44843038015702" });
    expect(normalizeVariantId(44843038015702)).toEqual({ type: "ok", value: "44843038015702" });
  });

  it("keeps ids above 2^53 exact when they arrive as strings", () => {
    expect(normalizeVariantId("704912205188288575")).toEqual({ type: "ok", value: "704912205188288575" });
    expect(normalizeVariantId("gid://shopify/ProductVariant/704912205188288575")).toEqual({ type: "ok", value: "704912205188288575" });
  });

  it("refuses an id above 2^53 sent as a JSON number, since its digits are already lost", () => {
    expect(normalizeVariantId(Number("704912205188288575")).type).toBe("invalid");
  });

  it("refuses a GID of another resource, zero, negatives and junk", () => {
    expect(normalizeVariantId("gid://shopify/Product/1").type).toBe("invalid");
    expect(normalizeVariantId(0).type).toBe("invalid");
    expect(normalizeVariantId(-5).type).toBe("invalid");
    expect(normalizeVariantId("12a").type).toBe("invalid");
    expect(normalizeVariantId(null).type).toBe("invalid");
    expect(normalizeVariantId(1.5).type).toBe("invalid");
  });

  it("accepts the pixel's OrderIdentity GID as an order id", () => {
    expect(normalizeShopifyId("gid://shopify/OrderIdentity/5396439498987")).toEqual({ type: "ok", value: "5396439498987" });
  });
});

describe("lossless JSON", () => {
  it("keeps unsafe integer literals as exact strings and leaves everything else alone", () => {
    const text = '{"id":704912205188288575,"small":808950810,"price":"19.99","s":"704912205188288575 in text","neg":-9007199254740993,"f":1.5e3}';
    expect(parseJsonLossless(text)).toEqual({
      id: "704912205188288575",
      small: 808950810,
      price: "19.99",
      s: "704912205188288575 in text",
      neg: "-9007199254740993",
      f: 1500,
    });
  });

  it("does not look inside strings with escaped quotes", () => {
    expect(parseJsonLossless('["a\\"12345678901234567890", 12345678901234567890]')).toEqual([
      'a"12345678901234567890',
      "12345678901234567890",
    ]);
  });
});

describe("money", () => {
  it("converts pixel numbers, webhook strings and currencies without cents exactly", () => {
    expect(majorToMinor(749.95, "INR")).toEqual({ type: "ok", minor: 74995 });
    expect(majorToMinor(1259.9, "INR")).toEqual({ type: "ok", minor: 125990 });
    expect(majorToMinor("19.99", "USD")).toEqual({ type: "ok", minor: 1999 });
    expect(majorToMinor(0.1 + 0.2, "USD")).toEqual({ type: "ok", minor: 30 });
    expect(majorToMinor("1000", "JPY")).toEqual({ type: "ok", minor: 1000 });
    expect(majorToMinor("1.234", "KWD")).toEqual({ type: "ok", minor: 1234 });
    expect(currencyExponent("JPY")).toBe(0);
  });

  it("refuses amounts that are not decimals", () => {
    expect(majorToMinor("example string", "USD").type).toBe("invalid");
    expect(majorToMinor(Number.NaN, "USD").type).toBe("invalid");
  });
});

describe("cart tokens", () => {
  it("joins /cart.js tokens with webhook tokens by dropping ?key=", () => {
    expect(normalizeCartToken("c1-5dc8c193f2fcf669eb1a08f2ba709d39?key=abc123")).toEqual({ type: "ok", value: "c1-5dc8c193f2fcf669eb1a08f2ba709d39" });
    expect(normalizeCartToken("gid://shopify/Cart/c1-abc?key=x")).toEqual({ type: "ok", value: "c1-abc" });
    expect(normalizeCartToken("").type).toBe("invalid");
    expect(normalizeCartToken("has space").type).toBe("invalid");
  });
});
