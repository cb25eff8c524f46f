import type { CartEvent } from "../events/event.ts";
import type { CartLineState, ChargeState } from "../profile/state.ts";
import { type AttributionState, CartAttribution } from "./attribution.ts";
import { type Cart, type ChargeJson, CartWalk, type Line, type Step, type Unexplained } from "./cart-walk.ts";
import { type Delta, compareKeys, isDelta } from "./timeline.ts";
import { type OpenMutation, groupWitnesses } from "./witnesses.ts";

/**
 * The live cart of one profile, derived from its set of events walked in canonical order.
 * Rules: a Cart Snapshot is the authority for its cart token's lines as of its time; deltas
 * move a cart between snapshots; a delta that a snapshot just before it already shows
 * (clock skew between witnesses) changes nothing; Charged empties the purchased cart, or
 * every line added before the order when the cart is not known. The profile's cart is the
 * union of its carts (one per token: browsers, devices, merged profiles).
 */
export interface CartRules {
  /** How far apart two witnesses of one mutation may be stamped. */
  witnessWindowMs: number;
}
export const DEFAULT_CART_RULES: CartRules = { witnessWindowMs: 10_000 };

export interface LiveCart {
  lines: CartLineState[];
  charges: ChargeState[];
  cartChangedAt: Date | null;
}

/**
 * The live cart after a prefix of a profile's events, as JSON: enough to fold later events
 * onto it and get what folding the whole history gives (see foldCart). Maps are stored as
 * entry lists because their insertion order is part of the result.
 */
export interface CartFoldState {
  windowMs: number;
  carts: [token: string, lines: Line[]][];
  unexplained: [token: string, entries: Unexplained[]][];
  charges: ChargeJson[];
  changedAt: number | null;
  attribution: AttributionState;
  open: OpenMutation[];
}

/**
 * Folds `events` (deduplicated, canonical order, all after the ones `state` summarizes) onto
 * `state`; null state starts from nothing. Returns null when these events would change how
 * earlier ones were read (a token claiming a token-less delta, a checkout linked to an
 * earlier order, a price for an earlier unpriced add): then only the whole history gives the
 * right cart. Otherwise the result equals folding the whole history at once.
 */
export function foldCart(state: CartFoldState | null, events: readonly CartEvent[], rules: CartRules = DEFAULT_CART_RULES): CartFoldState | null {
  const window = rules.witnessWindowMs;
  if (state && state.windowMs !== window) return null;
  const attribution = new CartAttribution(events, state?.attribution);
  if (!attribution.continues) return null;
  const deltas: { delta: Delta; token: string }[] = [];
  const steps: Step[] = [];
  for (const event of events) {
    const at = event.occurredAt.getTime();
    if (isDelta(event)) deltas.push({ delta: event, token: attribution.tokenFor(event) });
    else if (event.name === "Cart Snapshot" && event.identifiers.cartToken) {
      steps.push({ at, id: event.id, kind: "snapshot", token: event.identifiers.cartToken, lines: event.lines });
    } else if (event.name === "Charged") steps.push({ at, id: event.id, kind: "charge", event });
  }
  const grouped = groupWitnesses(deltas, window, state?.open);
  if (!grouped.continues) return null;
  for (const mutation of grouped.mutations) {
    steps.push({ at: mutation.at, id: mutation.id, kind: "mutation", mutation });
  }
  steps.sort((a, b) => compareKeys(a.at, a.id, b.at, b.id));

  const walk = new CartWalk(window, attribution, state);
  for (const step of steps) walk.apply(step);
  // Only what a later event can still meet is kept: unexplained changes and open mutations
  // younger than the window at the last event.
  const until = events.at(-1)?.occurredAt.getTime() ?? Number.NEGATIVE_INFINITY;
  return {
    windowMs: window,
    carts: [...walk.carts].map(([token, cart]) => [token, [...cart.values()]]),
    unexplained: [...walk.unexplained]
      .map(([token, list]): [string, Unexplained[]] => [token, list.filter((u) => until - u.at <= window)])
      .filter(([, list]) => list.length > 0),
    charges: walk.charges,
    changedAt: walk.changedAt,
    attribution: attribution.state(),
    open: grouped.open(until),
  };
}

export function liveCartOf(state: CartFoldState): LiveCart {
  const carts = new Map(state.carts.map(([token, lines]) => [token, new Map(lines.map((l) => [l.variantId, l]))]));
  const charges = state.charges.map((c) => ({ ...c, at: new Date(c.at) }));
  return { lines: unionOf(carts), charges: dedupeCharges(charges), cartChangedAt: state.changedAt === null ? null : new Date(state.changedAt) };
}

function unionOf(carts: Map<string, Cart>): CartLineState[] {
  const union = new Map<string, Line>();
  for (const cart of carts.values()) {
    for (const line of cart.values()) {
      const seen = union.get(line.variantId);
      if (!seen) {
        union.set(line.variantId, { ...line });
        continue;
      }
      const newer = line.lastChangedAt >= seen.lastChangedAt ? line : seen;
      union.set(line.variantId, {
        variantId: line.variantId,
        quantity: seen.quantity + line.quantity,
        unitPrice: newer.unitPrice ?? seen.unitPrice ?? line.unitPrice,
        currency: newer.currency ?? seen.currency ?? line.currency,
        firstAddedAt: Math.min(seen.firstAddedAt, line.firstAddedAt),
        lastChangedAt: Math.max(seen.lastChangedAt, line.lastChangedAt),
      });
    }
  }
  return [...union.values()]
    .sort((a, b) => a.firstAddedAt - b.firstAddedAt || (a.variantId < b.variantId ? -1 : a.variantId > b.variantId ? 1 : 0))
    .map((l) => ({ ...l, firstAddedAt: new Date(l.firstAddedAt), lastChangedAt: new Date(l.lastChangedAt) }));
}

/** The pixel's checkout_completed and the orders/create webhook report one order twice. */
function dedupeCharges(charges: ChargeState[]): ChargeState[] {
  const byOrder = new Map<string, ChargeState>();
  for (const c of charges) {
    const seen = byOrder.get(c.orderId);
    byOrder.set(c.orderId, seen ? { ...seen, cartToken: seen.cartToken ?? c.cartToken, checkoutToken: seen.checkoutToken ?? c.checkoutToken } : c);
  }
  return [...byOrder.values()];
}
