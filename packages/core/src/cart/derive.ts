import type { CartEvent } from "../events/event.ts";
import type { CartLineState, ChargeState, MarketingConsent } from "../profile/state.ts";
import { type CartFoldState, type CartRules, DEFAULT_CART_RULES, foldCart, liveCartOf } from "./live-cart.ts";
import { canonicalOrder } from "./timeline.ts";
import { SOURCE_TRUST } from "../events/trust.ts";

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
  /** Only an address a trusted source named (events/trust.ts): the one campaigns mail. */
  email: string | null;
  /** The latest address only a browser named: shown to the merchant, never mailed. */
  unverifiedEmail: string | null;
  customerId: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  marketingConsent: MarketingConsent;
  acceptsMarketingAtCheckout: boolean | null;
  lastEventAt: Date | null;
}

type Facts = Omit<DerivedProfile, "cart" | "charges" | "cartChangedAt" | "cartTokens" | "checkoutTokens" | "clientIds" | "lastEventAt">;

/**
 * A profile's derivation after a prefix of its events (JSON, stored with the profile): the
 * canonical key of the last event folded, the cart fold and the identity facts. Folding
 * later events onto it gives what deriving the whole history gives, so ingest reads only
 * the events after it instead of the whole history.
 */
export interface ProfileFold {
  /** 2: facts keep browser-named emails apart (events/trust.ts); a version-1 fold is re-derived. */
  version: 2;
  last: { at: number; id: string } | null;
  cart: CartFoldState;
  facts: Facts;
  cartTokens: string[];
  checkoutTokens: string[];
  clientIds: string[];
}

const NO_FACTS: Facts = {
  email: null,
  unverifiedEmail: null,
  customerId: null,
  phone: null,
  firstName: null,
  lastName: null,
  marketingConsent: "unknown",
  acceptsMarketingAtCheckout: null,
};

export function deriveProfile(events: Iterable<CartEvent>, rules: CartRules = DEFAULT_CART_RULES): DerivedProfile {
  return profileOf(foldProfile(null, canonicalOrder(events), rules)!);
}

/**
 * Whether `event` is later than everything `fold` has folded. Strictly later in time, not
 * just in canonical order: the cart rules look at other events of the same millisecond
 * whatever their ids (a token seen at the same instant as a token-less add), so a fold never
 * ends inside a millisecond and events of its last millisecond cannot be folded onto it.
 */
export function isAfter(fold: ProfileFold, event: { occurredAt: Date }): boolean {
  return fold.last === null || event.occurredAt.getTime() > fold.last.at;
}

/**
 * Folds `ordered` (canonical order, deduplicated, every one after `fold`'s last event) onto
 * `fold`, or onto nothing. Null when they would change how earlier events were read (see
 * foldCart) or come too early: derive from the whole history then.
 */
export function foldProfile(fold: ProfileFold | null, ordered: readonly CartEvent[], rules: CartRules = DEFAULT_CART_RULES): ProfileFold | null {
  if (fold && (fold.version !== 2 || (ordered.length > 0 && !isAfter(fold, ordered[0]!)))) return null;
  const cart = foldCart(fold?.cart ?? null, ordered, rules);
  if (!cart) return null;
  const cartTokens = new Set(fold?.cartTokens);
  const checkoutTokens = new Set(fold?.checkoutTokens);
  const clientIds = new Set(fold?.clientIds);
  const facts: Facts = { ...(fold?.facts ?? NO_FACTS) };
  for (const event of ordered) {
    const ids = event.identifiers;
    if (ids.cartToken) cartTokens.add(ids.cartToken);
    if (ids.checkoutToken) checkoutTokens.add(ids.checkoutToken);
    if (ids.clientId) clientIds.add(ids.clientId);
    foldFacts(facts, event);
  }
  const last = ordered.at(-1);
  return {
    version: 2,
    last: last ? { at: last.occurredAt.getTime(), id: last.id } : (fold?.last ?? null),
    cart,
    facts,
    cartTokens: [...cartTokens],
    checkoutTokens: [...checkoutTokens],
    clientIds: [...clientIds],
  };
}

/** Identity facts, each only from a source that may vouch for it (events/trust.ts). */
function foldFacts(facts: Facts, event: CartEvent): void {
  const ids = event.identifiers;
  const trust = SOURCE_TRUST[event.source];
  // Latest wins: a shopper who changes their email at checkout is reached at the new one.
  if (ids.email) {
    if (trust.contact) facts.email = ids.email;
    else facts.unverifiedEmail = ids.email;
  }
  if (ids.customerId) facts.customerId = ids.customerId;
  if (ids.phone && trust.contact) facts.phone = ids.phone;
  if (event.name === "Identify") {
    if (trust.names && event.firstName) facts.firstName = event.firstName;
    if (trust.names && event.lastName) facts.lastName = event.lastName;
    if (trust.consent && event.marketingConsent) facts.marketingConsent = event.marketingConsent;
  }
  if ((event.name === "Checkout Started" || event.name === "Charged") && trust.consent && event.acceptsMarketing !== null) {
    facts.acceptsMarketingAtCheckout = event.acceptsMarketing;
  }
}

export function profileOf(fold: ProfileFold): DerivedProfile {
  const live = liveCartOf(fold.cart);
  return {
    ...fold.facts,
    cart: live.lines,
    charges: live.charges,
    cartChangedAt: live.cartChangedAt,
    cartTokens: fold.cartTokens,
    checkoutTokens: fold.checkoutTokens,
    clientIds: fold.clientIds,
    lastEventAt: fold.last ? new Date(fold.last.at) : null,
  };
}

/**
 * How far behind the newest event a stored fold stays: at least `lagMs` (an event that late
 * still lands after it), at most `maxTail` events (what every ingest then re-reads).
 */
export interface FoldLag {
  lagMs: number;
  maxTail: number;
}
export const DEFAULT_FOLD_LAG: FoldLag = { lagMs: 5 * 60_000, maxTail: 200 };

/**
 * Derives a profile from `fold` plus `ordered` (the events after it: stored and new, in
 * canonical order) and picks the fold to store next: the events up to a few minutes (or a
 * few hundred events) before the newest, so a moderately late event still lands after it.
 * "whole_history" when the events cannot go onto `fold`: call again with null and every
 * event. With null, always a result; its fold is null when none can be kept.
 */
export function advanceFold(
  fold: ProfileFold | null,
  ordered: readonly CartEvent[],
  rules: CartRules = DEFAULT_CART_RULES,
  lag: FoldLag = DEFAULT_FOLD_LAG,
): { derived: DerivedProfile; fold: ProfileFold | null } | "whole_history" {
  const newest = ordered.at(-1)?.occurredAt.getTime() ?? Number.NEGATIVE_INFINITY;
  let settled = 0;
  while (settled < ordered.length && ordered[settled]!.occurredAt.getTime() <= newest - lag.lagMs) settled++;
  let cut = Math.max(settled, ordered.length - lag.maxTail);
  // Never inside a millisecond (see isAfter).
  while (cut > 0 && cut < ordered.length && ordered[cut - 1]!.occurredAt.getTime() === ordered[cut]!.occurredAt.getTime()) cut--;
  const head = cut > 0 ? foldProfile(fold, ordered.slice(0, cut), rules) : fold;
  if (fold && !head) return "whole_history";
  const whole = foldProfile(head, ordered.slice(cut), rules);
  if (whole) return { derived: profileOf(whole), fold: head };
  if (fold) return "whole_history";
  return { derived: profileOf(foldProfile(null, ordered, rules)!), fold: null };
}

/** CleverTap's profile property: variant ids in the cart, in order of first add. */
export function shopifyCartIds(profile: Pick<DerivedProfile, "cart">): string[] {
  return profile.cart.map((line) => line.variantId);
}
