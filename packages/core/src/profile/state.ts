import { z } from "zod";

/**
 * What the campaign engine reads about a shopper at decision time: a read model assembled
 * by the profile repository from live state, never a copy taken when a step was scheduled.
 * Owned jointly by the events area (writes) and the campaigns area (reads); extend it only
 * by adding fields.
 */
export const CartLineState = z.object({
  variantId: z.string().regex(/^\d+$/),
  quantity: z.number().int().positive(),
  /** Minor units (2999 = 29.99) in `currency`. */
  unitPrice: z.number().int().nullable(),
  currency: z.string().length(3).nullable(),
  firstAddedAt: z.date(),
  lastChangedAt: z.date(),
});
export type CartLineState = z.infer<typeof CartLineState>;

export const MarketingConsent = z.enum([
  "subscribed",
  "not_subscribed",
  "pending",
  "unsubscribed",
  "redacted",
  "invalid",
  "unknown",
]);
export type MarketingConsent = z.infer<typeof MarketingConsent>;

export const ChargeState = z.object({
  orderId: z.string(),
  at: z.date(),
  cartToken: z.string().nullable(),
  checkoutToken: z.string().nullable(),
});
export type ChargeState = z.infer<typeof ChargeState>;

export const ProfileState = z.object({
  shop: z.string(),
  profileId: z.string(),
  email: z.string().nullable(),
  customerId: z.string().nullable(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  /** Shopify's Customer.emailMarketingConsent, when known. */
  marketingConsent: MarketingConsent,
  /** `buyer_accepts_marketing` from the latest checkout/order, when one was seen. */
  acceptsMarketingAtCheckout: z.boolean().nullable(),
  /** IANA zone when the shopper's own is known; campaigns fall back to the shop's. */
  timezone: z.string().nullable(),
  /** In order of first add; `shopify_cart_ids` is `cart.map(l => l.variantId)`. */
  cart: z.array(CartLineState),
  cartTokens: z.array(z.string()),
  checkoutTokens: z.array(z.string()),
  /** Every purchase seen for this profile, oldest first. */
  charges: z.array(ChargeState),
  /** Last time any cart line changed (add, remove, snapshot, purchase). */
  cartChangedAt: z.date().nullable(),
});
export type ProfileState = z.infer<typeof ProfileState>;

export function shopifyCartIds(state: Pick<ProfileState, "cart">): string[] {
  return state.cart.map((line) => line.variantId);
}
