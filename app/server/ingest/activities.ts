import type { DerivedProfile } from "@cartback/core/cart/derive";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type ProfileRow, cartOf } from "../profiles/codec.ts";

/**
 * What changed for each touched profile, compared with its stored state before the batch:
 * merges first (so the campaign engine moves episodes before it hears about the cart),
 * then new identities, then cart changes and purchases in time order.
 */
export interface ActivityInput {
  survivors: Set<string>;
  derived: Map<string, DerivedProfile>;
  before: Map<string, ProfileRow>;
  merges: Map<string, string>;
  mergedAt: Map<string, Date>;
  /** Merged-away profiles that existed before this batch. */
  storedMerged: string[];
  /** Survivor → the latest receipt among this batch's events for it (when its changes became known). */
  receivedAt?: Map<string, Date>;
}

export function activitiesFor(shop: string, input: ActivityInput): CartActivity[] {
  const out: CartActivity[] = [];
  for (const profileId of input.survivors) {
    const now = input.derived.get(profileId)!;
    const old = input.before.get(profileId);
    const mergedIds = input.storedMerged.filter((id) => input.merges.get(id) === profileId);
    const previous = [old, ...mergedIds.map((id) => input.before.get(id))].filter((r): r is ProfileRow => r !== undefined);
    const at = now.lastEventAt ?? new Date(0);
    if (mergedIds.length > 0) {
      out.push({ kind: "merged", shop, profileId, mergedIds, at: input.mergedAt.get(profileId) ?? at });
    }
    for (const identifier of ["email", "customerId", "phone"] as const) {
      if (now[identifier] && !previous.some((r) => r[identifier] === now[identifier])) {
        out.push({ kind: "identified", shop, profileId, at, identifier });
      }
    }
    const timed: CartActivity[] = [];
    const oldCart = new Map<string, number>();
    for (const row of previous) for (const line of cartOf(row)) oldCart.set(line.variantId, (oldCart.get(line.variantId) ?? 0) + line.quantity);
    const newCart = new Map(now.cart.map((l) => [l.variantId, l.quantity]));
    const changed = oldCart.size !== newCart.size || [...newCart].some(([v, q]) => oldCart.get(v) !== q);
    // A removal and a re-add in one batch leave the lines as they were, but the shopper did
    // touch the cart: the debounce clock moves all the same.
    const lastChange = Math.max(0, ...previous.map((r) => r.cartChangedAt?.getTime() ?? 0));
    const touched = now.cartChangedAt !== null && now.cartChangedAt.getTime() > lastChange;
    if (changed || touched || (old === undefined && mergedIds.length === 0 && now.cart.length > 0)) {
      const added = [...newCart].some(([v, q]) => q > (oldCart.get(v) ?? 0));
      const lines = now.cart.map(({ variantId, quantity }) => ({ variantId, quantity }));
      const receivedAt = input.receivedAt?.get(profileId);
      timed.push({ kind: "cart_changed", shop, profileId, at: now.cartChangedAt ?? at, added, lineCount: now.cart.length, lines, ...(receivedAt ? { receivedAt } : {}) });
    }
    const oldOrders = new Set(previous.flatMap((r) => (r.charges as { orderId: string }[]).map((c) => c.orderId)));
    for (const charge of now.charges) {
      if (!oldOrders.has(charge.orderId)) timed.push({ kind: "charged", shop, profileId, at: charge.at, orderId: charge.orderId });
    }
    // A purchase clears its cart at the order's own time: at a tie the order goes first, so the
    // episode ends as purchased, not as an emptied cart.
    const rank = (a: CartActivity) => (a.kind === "charged" ? 0 : 1);
    timed.sort((a, b) => a.at.getTime() - b.at.getTime() || rank(a) - rank(b));
    out.push(...timed);
  }
  return out;
}
