import { CatalogRow, SHOPIFY_CATALOG } from "@cartback/core/catalog/row";
import { z } from "zod";

const Digits = z.string().regex(/^\d+$/, "must be a digits-only id");
const Currency = z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code");

/** Profile property values as CleverTap stores them: scalars, or lists of scalars. */
export const ProfileValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number(), z.boolean()])),
]);
export type ProfileValue = z.infer<typeof ProfileValue>;

/**
 * Which catalog rows a campaign shows (CleverTap's Personalization tab): the ids held in a
 * profile property are looked up in a catalog's Identity column. `alias` lets a template
 * written for another catalog name (the seed's `Samplecatalog1`) read the same rows.
 */
export const CatalogMapping = z.object({
  property: z.string().min(1).default("shopify_cart_ids"),
  catalog: z.string().min(1).default(SHOPIFY_CATALOG),
  alias: z
    .string()
    .regex(/^[A-Za-z_][\w-]*$/, "must be a plain catalog name")
    .optional(),
});
export type CatalogMapping = z.infer<typeof CatalogMapping>;

export const CartLine = z.object({
  variantId: Digits,
  quantity: z.number().int().positive(),
  /** Unit price in the currency's minor units, as the shopper saw it in the cart. */
  unitPrice: z.number().int().nonnegative(),
  currency: Currency,
});
export type CartLine = z.infer<typeof CartLine>;

export const ShopInfo = z.object({
  name: z.string().min(1),
  domain: z.string().min(1),
  /** Shopify money format, e.g. "${{amount}}" or "{{amount_with_comma_separator}} €". */
  money_format: z.string().min(1),
  money_with_currency_format: z.string().min(1).optional(),
  currency: Currency,
});
export type ShopInfo = z.infer<typeof ShopInfo>;

export const RenderInput = z.object({
  profile: z.record(z.string(), ProfileValue),
  customer: z.object({
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    email: z.email(),
  }),
  lines: z.array(CartLine).max(500),
  /** Rows of the mapped catalog; the server fetches them, rendering only joins them. */
  catalogRows: z.array(CatalogRow).max(1000),
  mapping: CatalogMapping.default({ property: "shopify_cart_ids", catalog: SHOPIFY_CATALOG }),
  shop: ShopInfo,
  recovery_url: z.url(),
  unsubscribe_url: z.url(),
  /** This email's single-use discount code and what it gives ("10% off"); null without one. */
  discount_code: z.string().min(1).max(255).nullable().default(null),
  discount_description: z.string().min(1).max(200).nullable().default(null),
  /** A test send is marked in the subject and headers so nobody mistakes it for a real one. */
  mode: z.enum(["live", "test"]).default("live"),
});
export type RenderInput = z.infer<typeof RenderInput>;
/** What callers may pass: defaults (mapping, mode) filled in by parsing. */
export type RenderInputDraft = z.input<typeof RenderInput>;
