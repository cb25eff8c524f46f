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
  clientId: string | undefined;
}

export class CartAttribution {
  private readonly sightings: TokenSighting[] = [];
  private readonly chargedAt = new Map<string, number>();
  private readonly cartOfCheckout = new Map<string, string>();

  /** `events` in canonical order. */
  constructor(events: readonly CartEvent[]) {
    for (const event of events) {
      const { cartToken, checkoutToken, clientId } = event.identifiers;
      if (cartToken && checkoutToken && !this.cartOfCheckout.has(checkoutToken)) {
        this.cartOfCheckout.set(checkoutToken, cartToken);
      }
      if (cartToken) this.sightings.push({ at: event.occurredAt.getTime(), token: cartToken, clientId });
    }
    for (const event of events) {
      if (event.name !== "Charged") continue;
      const at = event.occurredAt.getTime();
      const named = this.purchasedTokens(event);
      // An order that names no known cart (the pixel's checkout_completed) purchased what was
      // in the carts seen before it: those carts are done, as the cart rules clear them too.
      const tokens = named.length > 0 ? named : this.sightings.filter((s) => s.at <= at).map((s) => s.token);
      for (const token of tokens) {
        if ((this.chargedAt.get(token) ?? Number.POSITIVE_INFINITY) > at) this.chargedAt.set(token, at);
      }
    }
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
    return (
      (clientId ? this.before(at, (s) => s.clientId === clientId) : undefined) ??
      this.before(at, () => true) ??
      this.after(at) ??
      UNKNOWN_CART
    );
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
