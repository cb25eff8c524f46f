import type { CartEvent } from "../events/event.ts";
import type { CartLineState, ChargeState, MarketingConsent } from "../profile/state.ts";
import { type CartRules, DEFAULT_CART_RULES, deriveLiveCart } from "./live-cart.ts";
import { canonicalOrder } from "./timeline.ts";

/**
 * Everything the profile read model holds that comes from events: the live cart and the
 * latest known identity facts. A pure function of the *set* of events (duplicates and
 * arrival order do not matter), so ingest may recompute it after any insert.
 */
export interface DerivedProfile {
  cart: CartLineState[];
  charges: ChargeState[];
  cartChangedAt: Date | null;
  cartTokens: string[];
  checkoutTokens: string[];
  clientIds: string[];
  email: string | null;
  customerId: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  marketingConsent: MarketingConsent;
  acceptsMarketingAtCheckout: boolean | null;
  lastEventAt: Date | null;
}

export function deriveProfile(events: Iterable<CartEvent>, rules: CartRules = DEFAULT_CART_RULES): DerivedProfile {
  const ordered = canonicalOrder(events);
  const live = deriveLiveCart(ordered, rules);
  const cartTokens = new Set<string>();
  const checkoutTokens = new Set<string>();
  const clientIds = new Set<string>();
  const facts: Omit<DerivedProfile, "cart" | "charges" | "cartChangedAt" | "cartTokens" | "checkoutTokens" | "clientIds" | "lastEventAt"> = {
    email: null,
    customerId: null,
    phone: null,
    firstName: null,
    lastName: null,
    marketingConsent: "unknown",
    acceptsMarketingAtCheckout: null,
  };
  for (const event of ordered) {
    const ids = event.identifiers;
    if (ids.cartToken) cartTokens.add(ids.cartToken);
    if (ids.checkoutToken) checkoutTokens.add(ids.checkoutToken);
    if (ids.clientId) clientIds.add(ids.clientId);
    // Latest wins: a shopper who changes their email at checkout is reached at the new one.
    if (ids.email) facts.email = ids.email;
    if (ids.customerId) facts.customerId = ids.customerId;
    if (ids.phone) facts.phone = ids.phone;
    if (event.name === "Identify") {
      if (event.firstName) facts.firstName = event.firstName;
      if (event.lastName) facts.lastName = event.lastName;
      if (event.marketingConsent) facts.marketingConsent = event.marketingConsent;
    }
    if ((event.name === "Checkout Started" || event.name === "Charged") && event.acceptsMarketing !== null) {
      facts.acceptsMarketingAtCheckout = event.acceptsMarketing;
    }
  }
  return {
    ...facts,
    cart: live.lines,
    charges: live.charges,
    cartChangedAt: live.cartChangedAt,
    cartTokens: [...cartTokens],
    checkoutTokens: [...checkoutTokens],
    clientIds: [...clientIds],
    lastEventAt: ordered.at(-1)?.occurredAt ?? null,
  };
}

/** CleverTap's profile property: variant ids in the cart, in order of first add. */
export function shopifyCartIds(profile: Pick<DerivedProfile, "cart">): string[] {
  return profile.cart.map((line) => line.variantId);
}
