import type { WireEvent as CoreWireEvent } from "@cartback/core/events/wire";
import type { CartLine, CartState } from "./cart/state.ts";

/**
 * Bodies in @cartback/core's wire format (`events/wire.ts`; the type import is erased from
 * the bundle, and tests parse what we build with the real schema). Shop and source are not
 * in the body: the app proxy's signed query says which shop, the endpoint says which source.
 */
export type WireEvent = CoreWireEvent;

export interface Identity {
  clientId: string;
  customerId?: string;
  email?: string;
}

function who(identity: Identity): { clientId: string; customerId?: string; email?: string } {
  const out: { clientId: string; customerId?: string; email?: string } = { clientId: identity.clientId };
  if (identity.customerId) out.customerId = identity.customerId;
  if (identity.email) out.email = identity.email;
  return out;
}

function wireLine(line: CartLine, quantity: number) {
  return {
    variantId: line.variantId,
    quantity,
    priceMinor: line.price,
    title: line.title,
    productId: line.productId || null,
    imageUrl: line.image,
    url: line.url,
    sku: line.sku,
  };
}

export function addedToCart(id: string, at: Date, identity: Identity, cart: CartState, line: CartLine, quantity: number): WireEvent {
  const currency = cart.currency || undefined;
  return { id, name: "Added to Cart", occurredAt: at.toISOString(), ...who(identity), cartToken: cart.token, currency, ...wireLine(line, quantity) };
}

export function removedFromCart(id: string, at: Date, identity: Identity, cart: CartState, line: CartLine, quantity: number): WireEvent {
  const currency = cart.currency || undefined;
  return { id, name: "Removed from Cart", occurredAt: at.toISOString(), ...who(identity), cartToken: cart.token, currency, ...wireLine(line, quantity) };
}

export function cartSnapshot(id: string, at: Date, identity: Identity, cart: CartState): WireEvent {
  return {
    id,
    name: "Cart Snapshot",
    occurredAt: at.toISOString(),
    ...who(identity),
    cartToken: cart.token,
    currency: cart.currency || undefined,
    lines: cart.lines.map((line) => wireLine(line, line.quantity)),
  };
}

export interface Traits {
  email?: string;
  customerId?: string;
  phone?: string;
}

export function identify(id: string, at: Date, identity: Identity, traits: Traits, via: "login" | "form" | "api"): WireEvent {
  const event: WireEvent = { id, name: "Identify", occurredAt: at.toISOString(), ...who(identity), via };
  if (traits.email) event.email = traits.email;
  if (traits.customerId) event.customerId = traits.customerId;
  if (traits.phone) event.phone = traits.phone;
  return event;
}

/** What `track()` takes: one of the six events the app accepts, with that event's own fields; the SDK adds id and time. */
export type TrackedEvent = WireEvent extends infer E ? (E extends WireEvent ? Omit<E, "id" | "occurredAt"> : never) : never;

/** A tracked event under our id, time and identity. A name the app would reject does not type-check. */
export function tracked(event: TrackedEvent, id: string, at: Date, identity: Identity): WireEvent {
  return { ...event, id, occurredAt: at.toISOString(), ...who(identity) };
}
