import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Shopify app proxy requests carry `shop`, `logged_in_customer_id` (blank for guests),
 * `path_prefix`, `timestamp` and `signature` in the query string. The signature is hex
 * HMAC-SHA256 over the other parameters sorted by key, each `key=value` (repeated keys'
 * values joined by ","), concatenated with no separator. Empty values stay in the message:
 * dropping `logged_in_customer_id=` breaks verification for every guest.
 * It covers the query only, never the body.
 */
export type ProxyCheck =
  | { type: "ok"; shop: string; customerId: string | null }
  | { type: "unauthorized"; reason: string };

const MAX_AGE_SECONDS = 5 * 60;
const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function proxyMessage(params: URLSearchParams): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  return [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${grouped.get(key)!.join(",")}`)
    .join("");
}

/** Adds `signature` to `params` as Shopify would (tests, the storefront simulator). */
export function signProxyQuery(params: Record<string, string> | URLSearchParams, secret: string): URLSearchParams {
  const signed = new URLSearchParams(params);
  signed.delete("signature");
  signed.set("signature", createHmac("sha256", secret).update(proxyMessage(signed)).digest("hex"));
  return signed;
}

export function verifyProxyRequest(url: URL, secret: string | undefined, nowSeconds = Date.now() / 1000): ProxyCheck {
  if (!secret) return { type: "unauthorized", reason: "no Shopify API secret is configured" };
  const params = url.searchParams;
  const signature = params.get("signature");
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return { type: "unauthorized", reason: "missing or malformed signature" };
  const expected = createHmac("sha256", secret).update(proxyMessage(params)).digest();
  const given = Buffer.from(signature, "hex");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { type: "unauthorized", reason: "signature does not match the query" };
  }
  const timestamp = Number(params.get("timestamp"));
  if (!Number.isFinite(timestamp) || Math.abs(nowSeconds - timestamp) > MAX_AGE_SECONDS) {
    return { type: "unauthorized", reason: "timestamp is missing or stale" };
  }
  const shop = params.get("shop")?.toLowerCase() ?? "";
  if (!SHOP.test(shop)) return { type: "unauthorized", reason: "shop is not a myshopify.com domain" };
  const customer = params.get("logged_in_customer_id") ?? "";
  return { type: "ok", shop, customerId: /^\d+$/.test(customer) ? customer : null };
}
