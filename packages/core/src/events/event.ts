import { z } from "zod";
import { MarketingConsent } from "../profile/state.ts";
import { EVENT_SOURCES } from "./names.ts";

/**
 * The normalized internal event: what ingest stores and what the cart and identity rules
 * read. Ids are digit strings, money is minor units, tokens are bare. Wire bodies (wire.ts)
 * become this after validation; shop, receivedAt and source come from the request, never
 * from the body.
 */
export const Identifiers = z.object({
  clientId: z.string().optional(),
  cartToken: z.string().optional(),
  checkoutToken: z.string().optional(),
  customerId: z.string().optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
});
export type Identifiers = z.infer<typeof Identifiers>;

export const CartLineInput = z.object({
  variantId: z.string().regex(/^\d+$/),
  quantity: z.number().int().nonnegative(),
  /** Minor units of `currency`. */
  unitPrice: z.number().int().nullable(),
  currency: z.string().length(3).nullable(),
  title: z.string().nullable(),
  productId: z.string().nullable(),
  imageUrl: z.string().nullable(),
  url: z.string().nullable(),
  sku: z.string().nullable(),
});
export type CartLineInput = z.infer<typeof CartLineInput>;

const envelope = {
  id: z.string(),
  shop: z.string(),
  occurredAt: z.date(),
  receivedAt: z.date(),
  source: z.enum(EVENT_SOURCES),
  identifiers: Identifiers,
};

/** Shopify's marketing states a source may claim; "unknown" is only ever our own default. */
export const MarketingConsentClaim = MarketingConsent.exclude(["unknown"]);

export const AddedToCart = z.object({ ...envelope, name: z.literal("Added to Cart"), line: CartLineInput });
export type AddedToCart = z.infer<typeof AddedToCart>;

/** `quantity: null` removes the whole line. */
export const RemovedFromCart = z.object({
  ...envelope,
  name: z.literal("Removed from Cart"),
  line: CartLineInput.extend({ quantity: z.number().int().positive().nullable() }),
});
export type RemovedFromCart = z.infer<typeof RemovedFromCart>;

/** The whole cart of `identifiers.cartToken` at `occurredAt`; no lines means an empty cart. */
export const CartSnapshot = z.object({ ...envelope, name: z.literal("Cart Snapshot"), lines: z.array(CartLineInput) });
export type CartSnapshot = z.infer<typeof CartSnapshot>;

export const CheckoutStarted = z.object({
  ...envelope,
  name: z.literal("Checkout Started"),
  lines: z.array(CartLineInput),
  total: z.number().int().nullable(),
  currency: z.string().length(3).nullable(),
  acceptsMarketing: z.boolean().nullable(),
});
export type CheckoutStarted = z.infer<typeof CheckoutStarted>;

export const Identify = z.object({
  ...envelope,
  name: z.literal("Identify"),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  marketingConsent: MarketingConsentClaim.nullable(),
  /** How the identity became known: a login, a form, checkout contact info, an API call. */
  via: z.enum(["login", "form", "checkout", "api", "order"]).nullable(),
});
export type Identify = z.infer<typeof Identify>;

export const Charged = z.object({
  ...envelope,
  name: z.literal("Charged"),
  orderId: z.string().regex(/^\d+$/),
  total: z.number().int().nullable(),
  currency: z.string().length(3).nullable(),
  lines: z.array(CartLineInput),
  acceptsMarketing: z.boolean().nullable(),
  /** Discount codes the order used (orders/create `discount_codes[].code`): attribution by code. */
  discountCodes: z.array(z.string()).optional(),
});
export type Charged = z.infer<typeof Charged>;

export const CartEvent = z.discriminatedUnion("name", [
  AddedToCart,
  RemovedFromCart,
  CartSnapshot,
  CheckoutStarted,
  Identify,
  Charged,
]);
export type CartEvent = z.infer<typeof CartEvent>;

/** The part of an event kept as JSON beside its envelope columns. */
export type CartEventBody = CartEvent extends infer E
  ? E extends CartEvent ? Omit<E, "id" | "shop" | "occurredAt" | "receivedAt" | "source"> : never
  : never;
