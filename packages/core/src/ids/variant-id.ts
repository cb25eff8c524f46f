/**
 * Shopify ids arrive as GIDs (`gid://shopify/ProductVariant/123`, Admin GraphQL), numeric
 * strings (web pixel) or JSON numbers (webhooks, /cart.js). Internally an id is its digits.
 * A JS number above 2^53 has already lost digits by the time we see it, so it is refused:
 * webhook bodies are parsed with `parseJsonLossless`, which keeps such literals as strings.
 */
export type IdResult = { type: "ok"; value: string } | { type: "invalid"; reason: string };

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?.*)?$/;
const DIGITS = /^\d{1,30}$/;

export function normalizeShopifyId(input: unknown, resource?: string): IdResult {
  if (typeof input === "number") {
    if (!Number.isInteger(input) || input <= 0) return { type: "invalid", reason: "must be a positive integer id" };
    if (!Number.isSafeInteger(input)) {
      return { type: "invalid", reason: "ids above 2^53 lose digits as JSON numbers: send them as strings" };
    }
    return { type: "ok", value: String(input) };
  }
  if (typeof input === "bigint") {
    return input > 0n ? { type: "ok", value: input.toString() } : { type: "invalid", reason: "must be positive" };
  }
  if (typeof input !== "string") return { type: "invalid", reason: "must be a string or number id" };
  const text = input.trim();
  const gid = GID.exec(text);
  if (gid) {
    if (resource && gid[1] !== resource) {
      return { type: "invalid", reason: `expected a ${resource} GID, got ${gid[1]}` };
    }
    return { type: "ok", value: stripZeros(gid[2]!) };
  }
  if (DIGITS.test(text)) {
    const value = stripZeros(text);
    return value === "0" ? { type: "invalid", reason: "must be positive" } : { type: "ok", value };
  }
  return { type: "invalid", reason: "must be digits or a gid://shopify/… id" };
}

export function normalizeVariantId(input: unknown): IdResult {
  return normalizeShopifyId(input, "ProductVariant");
}

function stripZeros(digits: string): string {
  const stripped = digits.replace(/^0+/, "");
  return stripped === "" ? "0" : stripped;
}
