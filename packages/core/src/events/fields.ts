import { z } from "zod";
import { normalizeCartToken, normalizeCheckoutToken } from "../ids/cart-token.ts";
import { isCurrencyCode } from "../money.ts";
import { normalizeShopifyId, normalizeVariantId } from "../ids/variant-id.ts";

/**
 * Field schemas shared by the wire events: each accepts what browsers and Shopify send and
 * outputs the normalized form (digit-string ids, bare cart tokens, upper-case currencies).
 */
export type Normalizer = (input: unknown) => { type: "ok"; value: string } | { type: "invalid"; reason: string };

/** The ids and tokens the wire fields normalize: the schemas below and wire-check-fields.ts read them. */
export const ID_NORMALIZERS = {
  variantId: normalizeVariantId,
  productId: (input: unknown) => normalizeShopifyId(input, "Product"),
  customerId: (input: unknown) => normalizeShopifyId(input, "Customer"),
  /** Orders appear as `gid://shopify/Order/…` and, in pixel checkout_completed, `OrderIdentity`. */
  orderId: (input: unknown) => normalizeShopifyId(input),
  cartToken: normalizeCartToken,
  checkoutToken: normalizeCheckoutToken,
} satisfies Record<string, Normalizer>;

function normalized(normalize: Normalizer) {
  return z.union([z.string(), z.number()]).transform((input, ctx) => {
    const result = normalize(input);
    if (result.type === "ok") return result.value;
    ctx.issues.push({ code: "custom", message: result.reason, input });
    return z.NEVER;
  });
}

export const VariantIdField = normalized(ID_NORMALIZERS.variantId);
export const ProductIdField = normalized(ID_NORMALIZERS.productId);
export const CustomerIdField = normalized(ID_NORMALIZERS.customerId);
export const OrderIdField = normalized(ID_NORMALIZERS.orderId);
export const CartTokenField = normalized(ID_NORMALIZERS.cartToken);
export const CheckoutTokenField = normalized(ID_NORMALIZERS.checkoutToken);

export const CurrencyField = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .refine(isCurrencyCode, "must be an ISO 4217 currency code like USD");

/** A decimal amount in major units as a string ("19.99"). */
export const DECIMAL_PATTERN = /^\d{1,15}(\.\d{1,12})?$/;
/** Major units: a JSON number (749.95) or a decimal string ("19.99"). */
export const MajorAmountField = z.union([
  z.number().finite().nonnegative(),
  z.string().regex(DECIMAL_PATTERN, "must be a decimal amount like 19.99"),
]);
/** Minor units, as /cart.js sends them (58000 = 580.00). */
export const MinorAmountField = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const emailFormat = z.email({ message: "must be an email address" });
/** Zod's own email pattern, read from the schema (wire-check.ts tests the same one). */
export const EMAIL_PATTERN: RegExp = emailFormat._zod.def.pattern!;

export const EmailField = z.string().trim().max(254).toLowerCase().pipe(emailFormat);

export const PHONE_PATTERN = /^\+?[0-9 ()-]{5,24}$/;
export const PhoneField = z.string().trim().regex(PHONE_PATTERN, "must be a phone number");

export const EventIdField = z.string().trim().min(1, "must not be empty").max(200);

/**
 * ISO 8601 with a zone (`2024-01-12T04:54:15.677Z`), as `new Date().toISOString()` gives.
 * Years 1970–9999 only: PostgreSQL has no year 0, and nothing a cart does happened earlier.
 */
const isoDateTime = z.iso.datetime({ offset: true, message: "must be an ISO 8601 timestamp with a zone" });
/** Zod's own ISO 8601 pattern for these options, read from the schema (wire-check.ts tests the same one). */
export const TIMESTAMP_PATTERN: RegExp = isoDateTime._zod.def.pattern!;

export const TimestampField = isoDateTime
  .transform((value) => new Date(value))
  .refine((date) => date.getUTCFullYear() >= 1970 && date.getUTCFullYear() <= 9999, "must be a date between 1970 and 9999");

export const ShortText = z.string().max(500);
export const UrlText = z.string().max(2000);

/**
 * PostgreSQL text and jsonb cannot hold U+0000 or a UTF-16 surrogate without its pair (JSON
 * can: `"\u0000"`, `"\ud800"`), and one such string fails the whole transaction. Found
 * before the event is stored, it rejects only its own event, naming the field.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 32;

export const hasUnstorableText = (text: string): boolean => text.includes("\u0000") || LONE_SURROGATE.test(text);

export type TextProblem = { path: (string | number)[]; reason: string };

/** The first string (or key) in `value` that cannot be stored, or nesting deeper than 32. */
export function findUnstorableText(value: unknown): TextProblem | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: v, path } = next;
    if (typeof v === "string") {
      if (hasUnstorableText(v)) return { path, reason: "contains a NUL character or an unpaired surrogate" };
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (path.length >= MAX_DEPTH) return { path, reason: `is nested more than ${MAX_DEPTH} levels deep` };
    const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, item] = entries[i]!;
      if (typeof key === "string" && hasUnstorableText(key)) return { path: [...path, key], reason: "has a key with a NUL character or an unpaired surrogate" };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

/**
 * `value` with U+0000 removed and unpaired surrogates replaced by U+FFFD in every string and
 * key: for Shopify-signed payloads, which are retried for hours when refused.
 */
export function scrubUnstorableText(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return hasUnstorableText(value) ? scrub(value) : value;
  if (typeof value !== "object" || value === null || depth > MAX_DEPTH * 4) return value;
  if (Array.isArray(value)) return value.map((item) => scrubUnstorableText(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[scrub(key)] = scrubUnstorableText(item, depth + 1);
  return out;
}

const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");
const scrub = (text: string) => text.replaceAll("\u0000", "").replace(LONE_SURROGATES, "\uFFFD");
