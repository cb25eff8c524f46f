import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Envelope, parseEvent, parseEventBySchema } from "./parse.ts";
import { fromPixelEvent } from "./pixel.ts";
import { checkEvent } from "./wire-check.ts";

const envelope: Envelope = { shop: "demo.myshopify.com", receivedAt: new Date("2026-01-01T00:00:00Z"), source: "api" };

/** Values each field may take: `ok` are accepted by the schema (for any event they fit), `bad` mostly not. */
const pools = {
  id: { ok: ["e1", " e-2 ", "x".repeat(200)], bad: ["", "   ", "x".repeat(201), 5, null, "a\u0000b", "\ud800x", "ok😀"] },
  occurredAt: {
    ok: ["2026-01-01T10:00:00.000Z", "2026-01-01T10:00:00Z", "2024-02-29T00:00:00+05:30", "1970-01-01T00:00:00Z"],
    bad: ["2026-02-29T00:00:00Z", "1969-12-31T23:59:59Z", "9999-12-31T23:59:59-01:00", "yesterday", "2026-01-01", "2026-01-01T10:00:00.000z", 17, null],
  },
  clientId: { ok: ["b-1", "  b-2  "], bad: ["", " ", null, 3, "x".repeat(201), "b\u0000"] },
  cartToken: { ok: ["c1-abc", "c1-abc?key=secret", "gid://shopify/Cart/c1-x", "  c1-y "], bad: ["bad token!", "", 123, null, "c1-\udfff"] },
  checkoutToken: { ok: ["abc123", 12345], bad: [1.5, "", "bad!", -0, Number.NaN, Number.POSITIVE_INFINITY] },
  customerId: { ok: ["123", 123, "gid://shopify/Customer/5", " 0042 "], bad: ["gid://shopify/Product/5", "0", -1, 2 ** 60, "x", null, 0] },
  email: { ok: ["Jane@Example.com", "  a@b.co  ", "s1@bench.example"], bad: ["not-an-email", "", `${"a".repeat(250)}@b.co`, "a@b.com\u0000", "İ@x.com", null] },
  phone: { ok: ["+1 555 0100", "  (555) 010-0100 "], bad: ["12", "abc", 5551000, null] },
  currency: { ok: ["usd", " USD ", "EUR"], bad: ["US", "usdx", 5, null, "", "ZZZ"] },
  variantId: { ok: ["44843037000000", 44843037000000, "gid://shopify/ProductVariant/7", "007"], bad: ["gid://shopify/Product/7", "0", 0, 1.5, Number.NaN, null, "v1"] },
  quantity: { ok: [1, 2, 100_000], bad: [0, -1, -0, 100_001, 1.5, "2", null, 2 ** 53] },
  lineQuantity: { ok: [0, 1, 3, -0], bad: [-1, 100_001, 1.5, "2", null] },
  price: { ok: ["19.99", 19.99, 0, "5", "0.000000000001"], bad: [-1, "1.", "abc", -0.5, "1234567890123456", Number.POSITIVE_INFINITY, null, "19.999"] },
  priceMinor: { ok: [1999, 0, Number.MAX_SAFE_INTEGER], bad: [-1, 1.5, 2 ** 53, "1999", null, -0] },
  title: { ok: ["Snowboard", null, "x".repeat(500)], bad: ["x".repeat(501), "😀 board", "\ud83d", 5, {}] },
  productId: { ok: ["8273464099030", null, "gid://shopify/Product/1"], bad: ["gid://shopify/ProductVariant/1", 0, ""] },
  url: { ok: ["https://x.example/y.png", null, "x".repeat(2000)], bad: ["x".repeat(2001), 7] },
  acceptsMarketing: { ok: [true, false], bad: [null, "yes", 1] },
  discountCodes: { ok: [["SAVE10"], [], ["A", "B"]], bad: [[""], ["x".repeat(256)], "SAVE10", [5], new Array(51).fill("A"), null] },
  firstName: { ok: ["Jane", "x".repeat(500)], bad: [null, "x".repeat(501), 3] },
  marketingConsent: { ok: ["subscribed", "not_subscribed", "pending"], bad: ["unknown", "SUBSCRIBED", null] },
  via: { ok: ["login", "form", "checkout", "api", "order"], bad: ["web", null] },
  extra: { ok: ["note", 5, null, true], bad: [{ nested: 1 }, ["a"], "\udc00", "nul\u0000"] },
};
type Field = keyof typeof pools;

const NAMES = ["Added to Cart", "Removed from Cart", "Cart Snapshot", "Checkout Started", "Identify", "Charged"] as const;
const COMMON: Field[] = ["clientId", "cartToken", "checkoutToken", "customerId", "email", "phone", "currency"];
const LINE: Field[] = ["variantId", "quantity", "price", "priceMinor", "currency", "title", "productId", "sku", "url", "imageUrl"] as Field[];
const okValue = (field: Field) => fc.constantFrom(...pools[poolOf(field)].ok);
const anyValue = (field: Field) => fc.oneof(okValue(field), fc.constantFrom(...pools[poolOf(field)].bad), fc.constant(undefined));
function poolOf(field: string): Field {
  if (field === "sku") return "title";
  if (field === "imageUrl") return "url";
  if (field === "total") return "price";
  if (field === "totalMinor") return "priceMinor";
  if (field === "lastName") return "firstName";
  return field as Field;
}

/** fast-check builds records without a prototype; JSON.parse gives plain objects. */
const plain = (record: object): Record<string, unknown> => ({ ...record });

/** A line of a list: valid fields only, or any mix. */
const line = (value: (f: Field) => fc.Arbitrary<unknown>, quantity: Field) =>
  fc.record({ variantId: value("variantId"), quantity: value(quantity), priceMinor: value("priceMinor"), price: value("price"), currency: value("currency"), title: value("title"), productId: value("productId") }, { requiredKeys: ["variantId"] }).map(plain);

/** Events the schema accepts (a valid value for every field the event names). */
const validEvent = fc.constantFrom(...NAMES).chain((name) => {
  const fields: Record<string, fc.Arbitrary<unknown>> = { id: okValue("id"), occurredAt: okValue("occurredAt"), currency: okValue("currency") };
  const maybe: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of COMMON) if (f !== "currency") maybe[f] = okValue(f);
  const lines = fc.array(line(okValue, "lineQuantity"), { maxLength: 3 });
  if (name === "Added to Cart" || name === "Removed from Cart") {
    fields.variantId = okValue("variantId");
    for (const f of LINE) if (f !== "variantId" && f !== "currency") maybe[f] = okValue(poolOf(f));
  } else if (name === "Cart Snapshot") Object.assign(fields, { cartToken: okValue("cartToken"), lines });
  else if (name === "Identify") {
    fields.email = okValue("email");
    Object.assign(maybe, { firstName: okValue("firstName"), lastName: okValue("firstName"), marketingConsent: okValue("marketingConsent"), via: okValue("via") });
  }
  else {
    Object.assign(fields, name === "Charged" ? { orderId: okValue("customerId") } : { checkoutToken: okValue("checkoutToken") });
    Object.assign(maybe, { lines, total: okValue("price"), totalMinor: okValue("priceMinor"), acceptsMarketing: okValue("acceptsMarketing") });
    if (name === "Charged") maybe.discountCodes = okValue("discountCodes");
  }
  maybe.note = okValue("extra");
  const model: Record<string, fc.Arbitrary<unknown>> = { name: fc.constant(name), ...fields, ...maybe };
  return fc.record(model, { requiredKeys: ["name", ...Object.keys(fields)] }).map(plain);
});

/** Any mix of valid, invalid and missing fields under any name, lines included. */
const anyEvent = fc.record({
  name: fc.oneof(fc.constantFrom(...NAMES), fc.constantFrom("added to cart", "Bogus", 5, "constructor", "__proto__")),
  id: anyValue("id"),
  occurredAt: anyValue("occurredAt"),
  ...Object.fromEntries([...COMMON, ...LINE, "firstName", "marketingConsent", "via", "acceptsMarketing", "discountCodes", "total", "totalMinor"].map((f) => [f, anyValue(poolOf(f))])),
  lastName: anyValue("firstName"),
  orderId: anyValue("customerId"),
  lines: fc.oneof(fc.array(line(anyValue, "lineQuantity"), { maxLength: 3 }), fc.constantFrom("x", null, [null], [[]], new Array(501).fill({ variantId: "1" }))),
  note: anyValue("extra"),
}, { requiredKeys: [] }).map(plain);

/** A valid event with one field (named by the event or not) set to a value the schema may refuse. */
const FIELDS = [...new Set(["id", "occurredAt", ...COMMON, ...LINE, "lines", "total", "totalMinor", "acceptsMarketing", "orderId", "discountCodes", "firstName", "lastName", "marketingConsent", "via", "note"])];
const BAD_LINES = [[{ variantId: "1", quantity: -1 }], [{ variantId: "1", title: "\ud800" }], [{ variantId: "1", note: "\u0000" }], [{ variantId: "1", note: { a: 1 } }], [{ variantId: "1", price: "1.50" }], [{ variantId: "1", price: "1.999", currency: "USD" }]];
const badFor = (field: string): unknown[] => (field === "lines" ? BAD_LINES : pools[field === "note" ? "extra" : field === "orderId" ? "customerId" : poolOf(field)].bad);
const nearlyValid = fc
  .tuple(validEvent, fc.constantFrom(...FIELDS))
  .chain(([event, field]) => fc.constantFrom(...badFor(field), undefined).map((value) => ({ ...event, [field]: value })));

describe("the hand-written wire check", () => {
  it("answers every event exactly as the schema does: same verdict, same field and reason, same normalized event", () => {
    fc.assert(
      fc.property(fc.oneof(anyEvent, nearlyValid, nearlyValid), (input) => {
        expect(parseEvent(input, envelope, "events[0]")).toStrictEqual(parseEventBySchema(input, envelope, "events[0]"));
      }),
      { numRuns: 6000 },
    );
  });

  it("takes the events the schema accepts itself, with the schema's value", () => {
    fc.assert(
      fc.property(validEvent, (input) => {
        const bySchema = parseEventBySchema(input, envelope);
        expect(bySchema.type, JSON.stringify(bySchema)).toBe("ok");
        expect(checkEvent(input, envelope)).not.toBeNull();
        expect(parseEvent(input, envelope)).toStrictEqual(bySchema);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    ["a price without a currency", { name: "Added to Cart", id: "e", occurredAt: "2026-01-01T00:00:00Z", variantId: "1", price: "1.00" }],
    ["a line price without a currency", { name: "Cart Snapshot", id: "e", occurredAt: "2026-01-01T00:00:00Z", cartToken: "c1-x", lines: [{ variantId: "1", price: 2 }] }],
    ["an amount too large for minor units", { name: "Added to Cart", id: "e", occurredAt: "2026-01-01T00:00:00Z", variantId: "1", price: "999999999999999.99", currency: "USD" }],
    ["a total without a currency", { name: "Checkout Started", id: "e", occurredAt: "2026-01-01T00:00:00Z", checkoutToken: "k", total: 5 }],
    ["an Identify naming nobody", { name: "Identify", id: "e", occurredAt: "2026-01-01T00:00:00Z", clientId: "b", firstName: "Jane" }],
  ])("refuses by the schema's cross-field rules: %s", (_, input) => {
    expect(parseEventBySchema(input, envelope).type).toBe("rejected");
    expect(checkEvent(input, envelope)).toBeNull();
  });

  it("leaves what is not a plain event object to the schema", () => {
    for (const input of [null, "Added to Cart", [], new Date(), Object.create(null), { name: "Identify", id: "e", occurredAt: "2026-01-01T00:00:00Z" }]) {
      expect(checkEvent(input, envelope)).toBeNull();
      expect(parseEvent(input, envelope)).toStrictEqual(parseEventBySchema(input, envelope));
    }
  });

  it("takes the web pixel's add to cart as /collect translates it", () => {
    const pixel = { id: "sh-1", name: "product_added_to_cart", clientId: "px-1", timestamp: "2026-01-01T00:00:00.000Z", data: { cartLine: { quantity: 1, merchandise: { id: "44843038015702", price: { amount: 749.95, currencyCode: "USD" }, product: { id: "8273464099030", title: "The Collection Snowboard" } } } } };
    const translated = fromPixelEvent(pixel);
    if (translated.type !== "ok") throw new Error("expected a cart event");
    expect(checkEvent(translated.event, envelope)).not.toBeNull();
    expect(parseEvent(translated.event, envelope)).toStrictEqual(parseEventBySchema(translated.event, envelope));
  });
});
