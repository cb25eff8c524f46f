import fc from "fast-check";

// Hostile values and bodies shared by every endpoint's generator: what a buggy or malicious
// client can put on the wire. JSON.stringify writes a lone surrogate as \udXXX and NUL as \u0000,
// which is exactly the form issue 13 saw lose a whole batch.

const NASTY_STRINGS = [
  "",
  "\u0000",
  "a\u0000b@example.com",
  "\uD800",
  "\uDFFFx",
  "x\uD83D",
  "0000-01-01T00:00:00Z",
  "+275760-09-13T00:00:00.000Z",
  "-271821-04-20T00:00:00.000Z",
  "2026-02-30T25:61:61Z",
  "9".repeat(400),
  "1e999",
  "-0",
  "NaN",
  "Infinity",
  "__proto__",
  "constructor",
  "{{ shop.secret }}",
  "{% raw %}",
  "<script>alert(1)</script>",
  "'; DROP TABLE events; --",
  "gid://shopify/ProductVariant/",
  "gid://shopify/ProductVariant/-1",
  "%00",
  "../../../etc/passwd",
  "\r\nX-Injected: 1",
  "a".repeat(70_000),
];

const NASTY_NUMBERS = [0, -0, -1, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 0.1 + 0.2, 1e-320, 2_147_483_648];

/** A string with NUL, lone surrogates, RTL marks and any code unit. */
export const hostileString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("\u0000", "\uD800", "\uDC00", "\u202E", "\uFEFF", "a", "@", "."), maxLength: 20 }),
);

/** Any JSON value, shallow or deep, plus the scalars above. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...NASTY_NUMBERS, true, false, null, [], {}) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 5 }) },
);

/** Raw JSON text that JSON.parse reads as numbers no JavaScript number holds, or nests very deep. */
export const rawHostileJson = fc.oneof(
  fc.constantFrom('{"events":[{"quantity":1e999}]}', '{"events":[{"price":-1e999}]}', `{"events":${"9".repeat(5000)}}`, '{"events":[{"id":"\\ud800"}]}', '{"__proto__":{"events":[]}}', '{"events":[],"events":{}}'),
  fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom("[", '{"events":', '{"a":')).map(([depth, open]) => {
    const close = open === "[" ? "]" : "}";
    return `${open.repeat(depth)}1${close.repeat(depth)}`;
  }),
);

/** Text that is not JSON: cut short, stray bytes, wrong encoding, a form body. */
export const brokenJson = (valid: string) =>
  fc.oneof(
    fc.nat({ max: Math.max(0, valid.length - 1) }).map((cut) => valid.slice(0, cut)),
    fc.constantFrom("", "{", "[", "null", "true", "0", '"events"', "{events:[]}", "{'events':[]}", "\uFEFF{}", "a=1&b=2", "--x\r\nContent-Disposition: form-data\r\n\r\n"),
    fc.uint8Array({ maxLength: 256 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
    fc.string({ unit: "binary", maxLength: 200 }),
  );

/** Replaces one field of a valid object (or adds a stray one) with a hostile value. */
export function mutateField<T extends Record<string, unknown>>(valid: fc.Arbitrary<T>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(valid, fc.nat(), hostileValue, fc.boolean()).map(([object, pick, value, drop]) => {
    const keys = Object.keys(object);
    const key = keys[pick % keys.length] ?? "extra";
    const copy: Record<string, unknown> = { ...object };
    if (drop && pick % 5 === 0) delete copy[key];
    else copy[key] = value;
    return copy;
  });
}

export const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "text/plain",
  "text/plain;charset=UTF-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "multipart/form-data; boundary=x",
  "text/csv",
  "application/octet-stream",
  "*/*",
  "application/json, text/plain",
  ";;;",
];

/** Header values node:http will put on the wire (visible ASCII and Latin-1), including empty ones. */
const headerValue = fc.oneof(
  fc.constantFrom("", " ", "null", "undefined", "Bearer", "Bearer ", "Basic Og==", "a".repeat(4000), "gzip", "br", "chunked", "1.1.1.1, 2.2.2.2", "\u00ff\u00fe"),
  fc.string({ unit: fc.mapToConstant({ num: 95, build: (v) => String.fromCharCode(0x20 + v) }), maxLength: 60 }),
);
const headerName = fc.constantFrom("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "origin", "referer", "cookie", "accept", "accept-encoding", "content-encoding", "x-shopify-topic", "x-shopify-shop-domain", "x-shopify-hmac-sha256", "x-shopify-webhook-id", "x-shopify-triggered-at", "x-shopify-api-version", "authorization", "user-agent", "x-request-id", "expect");

/** A few odd headers on top of the ones an endpoint needs (never Host, Content-Length or Transfer-Encoding). */
export const oddHeaders = fc.dictionary(headerName, headerValue, { maxKeys: 3 });

/** Junk for a path segment or a query value: NUL, dot segments, bad escapes, very long. */
export const pathJunk = fc.oneof(
  fc.constantFrom("%00", "a%00b", "..", "../..", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f", "%", "%ZZ", "%c0%ae%c0%ae", "%uD800", "%ED%A0%80", "%FF%FE", "a".repeat(5_000), "a".repeat(20_000), "/".repeat(300), "?", "#", ";", "a;b=c"),
  fc.string({ unit: "binary", maxLength: 30 }).map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, "x"))),
  fc.string({ unit: fc.constantFrom("a", "-", "_", ".", "/", "%", "0", "~"), maxLength: 30 }),
);
