import { z } from "zod";
import { normalizeCartToken, normalizeCheckoutToken } from "../ids/cart-token.ts";
import { isCurrencyCode } from "../ids/money.ts";
import { normalizeShopifyId, normalizeVariantId } from "../ids/variant-id.ts";

/**
 * Field schemas shared by the wire events: each accepts what browsers and Shopify send and
 * outputs the normalized form (digit-string ids, bare cart tokens, upper-case currencies).
 */
type Normalizer = (input: unknown) => { type: "ok"; value: string } | { type: "invalid"; reason: string };

function normalized(normalize: Normalizer) {
  return z.union([z.string(), z.number()]).transform((input, ctx) => {
    const result = normalize(input);
    if (result.type === "ok") return result.value;
    ctx.issues.push({ code: "custom", message: result.reason, input });
    return z.NEVER;
  });
}

export const VariantIdField = normalized(normalizeVariantId);
export const ProductIdField = normalized((input) => normalizeShopifyId(input, "Product"));
export const CustomerIdField = normalized((input) => normalizeShopifyId(input, "Customer"));
/** Orders appear as `gid://shopify/Order/…` and, in pixel checkout_completed, `OrderIdentity`. */
export const OrderIdField = normalized((input) => normalizeShopifyId(input));
export const CartTokenField = normalized(normalizeCartToken);
export const CheckoutTokenField = normalized(normalizeCheckoutToken);

export const CurrencyField = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .refine(isCurrencyCode, "must be an ISO 4217 currency code like USD");

/** Major units: a JSON number (749.95) or a decimal string ("19.99"). */
export const MajorAmountField = z.union([
  z.number().finite().nonnegative(),
  z.string().regex(/^\d{1,15}(\.\d{1,12})?$/, "must be a decimal amount like 19.99"),
]);
/** Minor units, as /cart.js sends them (58000 = 580.00). */
export const MinorAmountField = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const EmailField = z
  .string()
  .trim()
  .max(254)
  .toLowerCase()
  .pipe(z.email({ message: "must be an email address" }));

export const PhoneField = z.string().trim().regex(/^\+?[0-9 ()-]{5,24}$/, "must be a phone number");

export const EventIdField = z.string().trim().min(1, "must not be empty").max(200);

/** ISO 8601 with a zone (`2024-01-12T04:54:15.677Z`), as `new Date().toISOString()` gives. */
export const TimestampField = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 timestamp with a zone" })
  .transform((value) => new Date(value));

export const ShortText = z.string().max(500);
export const UrlText = z.string().max(2000);
