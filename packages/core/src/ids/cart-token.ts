/**
 * `/cart.js` returns `token: "c1-…?key=…"` while webhooks and orders carry the bare token:
 * the part before `?key=` is the join key. Newer tokens are not all `c1-` prefixed, so any
 * printable token is accepted.
 */
export type TokenResult = { type: "ok"; value: string } | { type: "invalid"; reason: string };

const TOKEN = /^[A-Za-z0-9_\-.:=+/]{1,200}$/;

export function normalizeCartToken(input: unknown): TokenResult {
  if (typeof input !== "string") return { type: "invalid", reason: "must be a string" };
  let text = input.trim();
  const query = text.indexOf("?");
  if (query >= 0) text = text.slice(0, query);
  if (text.startsWith("gid://shopify/Cart/")) text = text.slice("gid://shopify/Cart/".length);
  if (!TOKEN.test(text)) return { type: "invalid", reason: "must be a cart token like c1-…" };
  return { type: "ok", value: text };
}

/** Checkout tokens: hex strings in webhooks and pixel events; numeric in some samples. */
export function normalizeCheckoutToken(input: unknown): TokenResult {
  if (typeof input === "number" && Number.isSafeInteger(input)) return { type: "ok", value: String(input) };
  return normalizeCartToken(input);
}
