import type { CartEvent } from "../events/event.ts";
import type { Delta } from "./timeline.ts";

/**
 * Which cart token an Added/Removed belongs to. The web pixel's product_added_to_cart
 * carries no cart token, so an untokened delta joins the cart its browser was using: the
 * latest token seen at or before it (same browser first), unless that cart was already
 * purchased — Shopify starts a new token after checkout — in which case the next token
 * seen after it. With no token anywhere it joins the profile's token-less cart "".
 */
export const UNKNOWN_CART = "";

interface TokenSighting {
  at: number;
  token: string;
  clientId: string | null;
}

/**
 * What later events need to know about earlier ones (JSON, stored with a profile's fold):
 * only the latest sighting per browser and overall are ever asked again, since a later
 * delta looks back for the latest one and forward only among later events.
 */
export interface AttributionState {
  sightings: TokenSighting[];
  chargedAt: [token: string, at: number][];
  cartOfCheckout: [checkout: string, cart: string][];
  /** A delta was put in the token-less cart: a later token could claim it (forward look). */
  unknownDeltas: boolean;
  /** Checkouts of Charged events no cart was linked to yet: a later link would change what they bought. */
  unpairedCheckouts: string[];
}

export class CartAttribution {
  private readonly sightings: TokenSighting[];
  private readonly chargedAt: Map<string, number>;
  private readonly cartOfCheckout: Map<string, string>;
  private unknownDeltas: boolean;
  private readonly charged: string[] = [];
  /**
   * False when `events` would change how the seed's (earlier) events were attributed, so
   * the seed cannot simply be continued: the caller folds the whole history instead.
   */
  readonly continues: boolean;

  /** `events` in canonical order, all after the events the seed summarizes. */
  constructor(events: readonly CartEvent[], seed: AttributionState | null = null) {
    this.sightings = seed ? [...seed.sightings] : [];
    this.chargedAt = new Map(seed?.chargedAt);
    this.cartOfCheckout = new Map(seed?.cartOfCheckout);
    this.unknownDeltas = seed?.unknownDeltas ?? false;
    const unpaired = new Set(seed?.unpairedCheckouts);
    let continues = true;
    for (const event of events) {
      const { cartToken, checkoutToken, clientId } = event.identifiers;
      if (cartToken && checkoutToken && !this.cartOfCheckout.has(checkoutToken)) {
        if (unpaired.has(checkoutToken)) continues = false;
        this.cartOfCheckout.set(checkoutToken, cartToken);
      }
      if (cartToken) {
        if (this.unknownDeltas) continues = false;
        this.sightings.push({ at: event.occurredAt.getTime(), token: cartToken, clientId: clientId ?? null });
      }
    }
    this.continues = continues;
    for (const event of events) {
      if (event.name !== "Charged") continue;
      const at = event.occurredAt.getTime();
      const named = this.purchasedTokens(event);
      if (event.identifiers.checkoutToken) this.charged.push(event.identifiers.checkoutToken);
      // An order that names no known cart (the pixel's checkout_completed) purchased what was
      // in the carts seen before it: those carts are done, as the cart rules clear them too.
      const tokens = named.length > 0 ? named : this.sightings.filter((s) => s.at <= at).map((s) => s.token);
      for (const token of tokens) {
        if ((this.chargedAt.get(token) ?? Number.POSITIVE_INFINITY) > at) this.chargedAt.set(token, at);
      }
    }
    for (const checkout of seed?.unpairedCheckouts ?? []) this.charged.push(checkout);
  }

  /** Cart tokens a Charged names directly or through its checkout. */
  purchasedTokens(event: CartEvent): string[] {
    const tokens = new Set<string>();
    const { cartToken, checkoutToken } = event.identifiers;
    if (cartToken) tokens.add(cartToken);
    const viaCheckout = checkoutToken ? this.cartOfCheckout.get(checkoutToken) : undefined;
    if (viaCheckout) tokens.add(viaCheckout);
    return [...tokens];
  }

  tokenFor(delta: Delta): string {
    if (delta.identifiers.cartToken) return delta.identifiers.cartToken;
    const at = delta.occurredAt.getTime();
    const clientId = delta.identifiers.clientId;
    const token = (clientId ? this.before(at, (s) => s.clientId === clientId) : undefined) ?? this.before(at, () => true) ?? this.after(at);
    if (token !== undefined) return token;
    this.unknownDeltas = true;
    return UNKNOWN_CART;
  }

  /** The summary later events need (call after every tokenFor of this segment). */
  state(): AttributionState {
    const latest = new Set<TokenSighting>();
    const seen = new Set<string | null>();
    for (let i = this.sightings.length - 1; i >= 0; i--) {
      const s = this.sightings[i]!;
      if (i === this.sightings.length - 1 || (s.clientId !== null && !seen.has(s.clientId))) latest.add(s);
      seen.add(s.clientId);
    }
    return {
      sightings: this.sightings.filter((s) => latest.has(s)),
      chargedAt: [...this.chargedAt],
      cartOfCheckout: [...this.cartOfCheckout],
      unknownDeltas: this.unknownDeltas,
      unpairedCheckouts: [...new Set(this.charged.filter((c) => !this.cartOfCheckout.has(c)))],
    };
  }

  private open(token: string, at: number): boolean {
    return (this.chargedAt.get(token) ?? Number.POSITIVE_INFINITY) > at;
  }

  /** The latest matching sighting at or before `at`, if its cart was not purchased by then. */
  private before(at: number, match: (s: TokenSighting) => boolean): string | undefined {
    for (let i = this.sightings.length - 1; i >= 0; i--) {
      const s = this.sightings[i]!;
      if (s.at > at || !match(s)) continue;
      return this.open(s.token, at) ? s.token : undefined;
    }
    return undefined;
  }

  private after(at: number): string | undefined {
    return this.sightings.find((s) => s.at > at && this.open(s.token, at))?.token;
  }
}
