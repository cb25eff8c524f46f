import { createHmac } from "node:crypto";

/**
 * Shopify's app proxy signature: drop `signature`, join repeated keys' values with ",",
 * sort by key, concatenate `key=value` with no separator, hex HMAC-SHA256 with the app
 * secret. Empty values stay in (`logged_in_customer_id=` for guests).
 */
export function proxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.entries()]
    .map(([key, values]) => `${key}=${values.join(",")}`)
    .sort()
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

export interface ProxyTarget {
  /** The app's origin, e.g. http://127.0.0.1:3000 (its routes live under /proxy). */
  appUrl: string;
  secret: string;
  shop: string;
}

/**
 * What Shopify does with `https://{shop}/apps/cartback/<rest>?<query>`: the same method and
 * body to `<app>/proxy/<rest>` with the shopper's query plus shop, logged_in_customer_id,
 * path_prefix, timestamp and signature. Cookies are not forwarded.
 */
export async function forwardToApp(
  target: ProxyTarget,
  request: { method: string; rest: string; query: URLSearchParams; contentType: string | undefined; body: Buffer | null },
  customerId: string | null,
  now: Date,
): Promise<Response> {
  const params = new URLSearchParams(request.query);
  for (const key of ["shop", "logged_in_customer_id", "path_prefix", "timestamp", "signature"]) params.delete(key);
  params.set("shop", target.shop);
  params.set("logged_in_customer_id", customerId ?? "");
  params.set("path_prefix", "/apps/cartback");
  params.set("timestamp", String(Math.floor(now.getTime() / 1000)));
  params.set("signature", proxySignature(params, target.secret));
  const url = `${target.appUrl.replace(/\/$/, "")}/proxy/${request.rest}?${params}`;
  const headers: Record<string, string> = {};
  if (request.contentType) headers["content-type"] = request.contentType;
  return fetch(url, {
    method: request.method,
    headers,
    body: request.method === "GET" || request.method === "HEAD" || request.body === null ? undefined : new Uint8Array(request.body),
  });
}
