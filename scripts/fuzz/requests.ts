import { createHmac, randomUUID } from "node:crypto";
import { proxySignature } from "@cartback/storefront-sim/proxy";
import fc from "fast-check";
import { webhookBody } from "./webhook-bodies.ts";
import { brokenJson, CONTENT_TYPES, hostileString, hostileValue, mutateField, oddHeaders, pathJunk, rawHostileJson } from "./values.ts";

/** What the fuzzer knows about the running shop: enough to get past authentication sometimes. */
export interface FuzzTarget {
  /** The app's origin (same-origin admin posts). */
  appUrl: string;
  shop: string;
  secret: string;
  apiKey: string;
  pixelKey: string;
}

export interface FuzzRequest {
  /** The row it is counted under in the report. */
  endpoint: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

const iso = fc.date({ min: new Date("2025-01-01"), max: new Date("2027-01-01"), noInvalidDate: true }).map((d) => d.toISOString());
const variantId = fc.constantFrom("gid://shopify/ProductVariant/1", "2", "38558517710");
const addToCart = fc.record({ id: fc.uuid(), name: fc.constant("Added to Cart"), occurredAt: iso, clientId: fc.constantFrom("c-1", "c-2"), variantId, quantity: fc.integer({ min: 1, max: 5 }), price: fc.constant("19.99"), currency: fc.constant("USD") });
const identify = fc.record({ id: fc.uuid(), name: fc.constant("Identify"), occurredAt: iso, clientId: fc.constantFrom("c-1", "c-2"), email: fc.constantFrom("fuzz@example.com", "Fuzz.Two@Example.com"), marketingConsent: fc.constantFrom("subscribed", "unknown"), via: fc.constant("form") });
const charged = fc.record({ id: fc.uuid(), name: fc.constant("Charged"), occurredAt: iso, clientId: fc.constant("c-1"), orderId: fc.constant("1001"), currency: fc.constant("USD"), lines: fc.constant([{ variantId: "2", quantity: 1, price: "19.99" }]) });
const snapshot = fc.record({ id: fc.uuid(), name: fc.constant("Cart Snapshot"), occurredAt: iso, cartToken: fc.constant("c1-x"), currency: fc.constant("CAD"), lines: fc.constant([{ variantId: 38558517710, quantity: 1, priceMinor: 58000 }]) });
const validEvent = fc.oneof(addToCart, identify, charged, snapshot);

/** One event: valid, with one field wrong, or any JSON value at all. */
const event = fc.oneof({ weight: 2, arbitrary: validEvent }, { weight: 6, arbitrary: mutateField(validEvent) }, { weight: 1, arbitrary: hostileValue });

/** A JSON body text around `events`, sometimes with extra top-level fields; or raw or broken text. */
function batchText(extra: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<string> {
  const batch = fc.tuple(extra, fc.array(event, { minLength: 0, maxLength: 8 })).map(([fields, events]) => JSON.stringify({ ...fields, events }));
  return fc.oneof(
    { weight: 6, arbitrary: batch },
    { weight: 1, arbitrary: mutateField(fc.tuple(extra, fc.array(validEvent, { maxLength: 2 })).map(([f, events]) => ({ ...f, events }))).map((b) => JSON.stringify(b)) },
    { weight: 1, arbitrary: rawHostileJson },
    { weight: 2, arbitrary: batch.chain((text) => brokenJson(text)) },
  );
}

const contentType = fc.constantFrom(...CONTENT_TYPES);

function post(endpoint: string, path: fc.Arbitrary<string>, headers: fc.Arbitrary<Record<string, string>>, body: fc.Arbitrary<string>): fc.Arbitrary<FuzzRequest> {
  return fc.record({ path, headers, body, odd: oddHeaders, type: fc.option(contentType, { freq: 3 }) }).map(({ path, headers, body, odd, type }) => ({
    endpoint,
    method: "POST",
    path,
    headers: { ...odd, ...(type === null ? {} : { "content-type": type }), ...headers },
    body,
  }));
}

function events(target: FuzzTarget, keyed: boolean) {
  const auth = keyed ? fc.constant({ authorization: `Bearer ${target.apiKey}` }) : fc.oneof(fc.constant({}), hostileString.map((s) => ({ authorization: `Bearer ${s.replace(/[^\x20-\x7e]/g, "")}` })), fc.constant({ authorization: `Bearer ${target.apiKey}x` }));
  return post(keyed ? "POST /api/v1/events (key)" : "POST /api/v1/events (no key)", fc.constant("/api/v1/events"), auth, batchText(fc.constant({})));
}

function collect(target: FuzzTarget) {
  const keys = fc.oneof({ weight: 4, arbitrary: fc.constant({ shop: target.shop, pixelKey: target.pixelKey }) }, { weight: 1, arbitrary: mutateField(fc.constant({ shop: target.shop, pixelKey: target.pixelKey })) });
  return post("POST /collect", fc.constant("/collect"), fc.constant({}), batchText(keys));
}

function proxyQuery(target: FuzzTarget, params: Record<string, string>): string {
  const query = new URLSearchParams(params);
  query.set("signature", proxySignature(query, target.secret));
  return query.toString();
}

function proxy(target: FuzzTarget, signed: boolean) {
  const customer = fc.constantFrom("", "1", "007", "-1", "9".repeat(30), "%00");
  const query = signed
    ? fc.tuple(customer, fc.integer({ min: -120, max: 30 })).map(([id, skew]) => proxyQuery(target, { shop: target.shop, logged_in_customer_id: id, path_prefix: "/apps/cartback", timestamp: String(Math.floor(Date.now() / 1000) + skew) }))
    : fc.tuple(pathJunk, fc.constantFrom("", "shop=", `shop=${target.shop}&signature=00`, `shop=${target.shop}&timestamp=1&signature=${"a".repeat(64)}`)).map(([junk, q]) => `${q}&x=${junk}`);
  return post(signed ? "POST /proxy/events (signed)" : "POST /proxy/events (unsigned)", query.map((q) => `/proxy/events?${q}`), fc.constant({}), batchText(fc.constant({})));
}

const WEBHOOKS: Array<[path: string, topics: string[]]> = [
  ["/webhooks/carts", ["carts/create", "carts/update"]],
  ["/webhooks/checkouts", ["checkouts/create", "checkouts/update"]],
  ["/webhooks/orders", ["orders/create", "orders/paid"]],
  ["/webhooks/products", ["products/create", "products/update", "products/delete"]],
  ["/webhooks/compliance", ["customers/data_request", "customers/redact", "shop/redact"]],
  ["/webhooks/app/uninstalled", ["app/uninstalled"]],
  ["/webhooks/shop/update", ["shop/update"]],
];

// A signed app/uninstalled or shop/redact for the fuzzed shop would (rightly) end its install and
// every later request would stop at "unknown shop": those two are signed for another domain.
const DESTRUCTIVE = new Set(["app/uninstalled", "shop/redact"]);
const ELSEWHERE = "fuzz-elsewhere.myshopify.com";

function webhook(target: FuzzTarget, path: string, topics: string[], signed: boolean) {
  const body = fc.constantFrom(...topics).chain((topic) => {
    const shop = signed && DESTRUCTIVE.has(topic) ? ELSEWHERE : target.shop;
    return fc.tuple(fc.constant(topic), fc.oneof({ weight: 4, arbitrary: webhookBody(topic, shop) }, { weight: 1, arbitrary: rawHostileJson }, { weight: 1, arbitrary: webhookBody(topic, shop).chain(brokenJson) }));
  });
  const at = fc.oneof({ weight: 5, arbitrary: fc.constant("") }, { weight: 1, arbitrary: fc.constantFrom("0", "yesterday", "2020-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "%00") });
  return fc.record({ body, at, odd: oddHeaders, typed: fc.boolean(), forged: fc.constantFrom("", "AAAA", "not base64!", "a".repeat(44)) }).map(({ body: [topic, raw], at, odd, typed, forged }) => {
    const shop = signed && DESTRUCTIVE.has(topic) ? ELSEWHERE : target.shop;
    const hmac = signed ? createHmac("sha256", target.secret).update(raw).digest("base64") : forged;
    const headers: Record<string, string> = { ...odd, "x-shopify-topic": topic, "x-shopify-shop-domain": shop, "x-shopify-webhook-id": randomUUID(), "x-shopify-hmac-sha256": hmac, "x-shopify-triggered-at": at || new Date().toISOString(), "x-shopify-api-version": "2025-10" };
    if (typed) headers["content-type"] = "application/json";
    return { endpoint: `POST ${path} (${signed ? "signed" : "unsigned"})`, method: "POST", path, headers, body: raw };
  });
}

function catalogs(target: FuzzTarget) {
  const name = fc.oneof(fc.constantFrom("shopify-catalog", "fuzz", "a", "A", "-", "a".repeat(63), "a".repeat(64)), pathJunk);
  const auth = fc.oneof({ weight: 4, arbitrary: fc.constant({ authorization: `Bearer ${target.apiKey}` }) }, { weight: 1, arbitrary: fc.constant({}) });
  const csvLine = fc.array(hostileString.map((s) => (s.length > 200 ? s.slice(0, 200) : s)), { maxLength: 6 }).map((cells) => cells.join(","));
  const csv = fc.oneof(fc.array(csvLine, { maxLength: 6 }).map((lines) => ["sku,name,price,url", ...lines].join("\n")), fc.constantFrom("", "\u0000", '"', 'a,"b\n', "\uFEFFid\n1"), fc.string({ unit: "binary", maxLength: 200 }));
  return fc.record({ name, auth, csv, method: fc.constantFrom("GET", "PUT", "PUT", "POST", "DELETE"), odd: oddHeaders, type: contentType }).map(({ name, auth, csv, method, odd, type }) => ({
    endpoint: `${method === "GET" ? "GET" : "PUT"} /api/v1/catalogs/<name>`,
    method,
    path: `/api/v1/catalogs/${name}`,
    headers: { ...odd, ...auth, ...(method === "GET" ? {} : { "content-type": type }) },
    body: method === "GET" ? undefined : csv,
  }));
}

const formText = (field: string) => fc.oneof(hostileString.map((v) => `${field}=${encodeURIComponent(v.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))}`), hostileString.map((v) => `${field}=${v}`), fc.constantFrom("", "=", "&&&", `${field}`, `${field}=%`, `${field}=%ZZ`, `${field}=%00`), fc.string({ unit: "binary", maxLength: 100 }));
const multipart = (field: string) => fc.constantFrom(`--x\r\nContent-Disposition: form-data; name="${field}"\r\n\r\nv\r\n--x--\r\n`, "--x\r\n", `--x\r\nContent-Disposition: form-data; name="${field}"; filename="a"\r\n\r\n\u0000\r\n`, "--y\r\n\r\n--y--");

function unsubscribe() {
  const get = pathJunk.map((t) => ({ endpoint: "GET /unsubscribe", method: "GET", path: `/unsubscribe?t=${t}`, headers: {} as Record<string, string> }));
  const postForm = post("POST /unsubscribe", pathJunk.map((t) => `/unsubscribe?t=${t}`), fc.constantFrom<Record<string, string>>({}, { accept: "text/html" }), fc.oneof(formText("t"), multipart("t")));
  return fc.oneof(get, postForm);
}

function login(target: FuzzTarget) {
  const next = fc.oneof(fc.constant("/auth/login"), pathJunk.map((j) => `/auth/login?next=${j}`), pathJunk.map((j) => `/auth/login?shop=${j}`));
  const body = fc.oneof(formText("password"), multipart("password"), fc.tuple(formText("password"), formText("next")).map(([a, b]) => `${a}&${b}`));
  // Mostly same-origin (as the login page posts), so the form itself gets read.
  const origin: fc.Arbitrary<Record<string, string>> = fc.oneof({ weight: 4, arbitrary: fc.constant({ origin: target.appUrl }) }, { weight: 1, arbitrary: fc.constantFrom<Record<string, string>>({}, { origin: "null" }, { origin: "https://evil.example" }) });
  return post("POST /auth/login", next, origin, body);
}

const junkPaths = fc.record({ junk: pathJunk, prefix: fc.constantFrom("/", "/api/v1/", "/webhooks/", "/proxy/", "/app/", "/collect/", "/healthz/"), method: fc.constantFrom("GET", "POST", "PUT", "OPTIONS", "PATCH", "HEAD") }).map(({ junk, prefix, method }) => ({ endpoint: "path junk", method, path: `${prefix}${junk}`, headers: {} as Record<string, string>, body: method === "POST" || method === "PUT" ? "{}" : undefined }));

const healthz = fc.record({ odd: oddHeaders, junk: fc.option(pathJunk) }).map(({ odd, junk }) => ({ endpoint: "GET /healthz", method: "GET", path: junk === null ? "/healthz" : `/healthz?${junk}`, headers: odd }));

/** Every public endpoint, roughly evenly. */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(
    events(target, true),
    events(target, false),
    collect(target),
    proxy(target, true),
    proxy(target, false),
    ...WEBHOOKS.flatMap(([path, topics]) => [webhook(target, path, topics, true), webhook(target, path, topics, false)]),
    catalogs(target),
    unsubscribe(),
    login(target),
    healthz,
    junkPaths,
  );
}
