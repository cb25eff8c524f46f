import type { DerivedProfile } from "@cartback/core/cart/derive";
import type { CartEvent, CartEventBody } from "@cartback/core/events/event";
import type { EventSource } from "@cartback/core/events/names";
import type { CartLineState, ChargeState, MarketingConsent, ProfileState } from "@cartback/core/profile/state";
import type { profileEvents, profiles } from "@cartback/db";

/** Rows ↔ domain values. Dates inside jsonb are ISO strings. */
export type ProfileRow = typeof profiles.$inferSelect;
export type EventRow = typeof profileEvents.$inferSelect;

export function eventToRow(event: CartEvent, profileId: string): typeof profileEvents.$inferInsert {
  const { id, shop, occurredAt, receivedAt, source, ...body } = event;
  return { shop, id, profileId, name: event.name, source, occurredAt, receivedAt, body: body as Record<string, unknown> };
}

export function rowToEvent(row: Pick<EventRow, "shop" | "id" | "occurredAt" | "receivedAt" | "source" | "body">): CartEvent {
  const body = row.body as unknown as CartEventBody;
  return { ...body, id: row.id, shop: row.shop, occurredAt: row.occurredAt, receivedAt: row.receivedAt, source: row.source as EventSource } as CartEvent;
}

type CartLineJson = Omit<CartLineState, "firstAddedAt" | "lastChangedAt"> & { firstAddedAt: string; lastChangedAt: string };
type ChargeJson = Omit<ChargeState, "at"> & { at: string };

export function derivedToColumns(derived: DerivedProfile) {
  return {
    email: derived.email,
    customerId: derived.customerId,
    phone: derived.phone,
    firstName: derived.firstName,
    lastName: derived.lastName,
    marketingConsent: derived.marketingConsent,
    acceptsMarketingAtCheckout: derived.acceptsMarketingAtCheckout,
    cart: derived.cart.map((l) => ({ ...l, firstAddedAt: l.firstAddedAt.toISOString(), lastChangedAt: l.lastChangedAt.toISOString() })),
    cartTokens: derived.cartTokens,
    checkoutTokens: derived.checkoutTokens,
    clientIds: derived.clientIds,
    charges: derived.charges.map((c) => ({ ...c, at: c.at.toISOString() })),
    cartChangedAt: derived.cartChangedAt,
    lastEventAt: derived.lastEventAt,
  };
}

export function cartOf(row: Pick<ProfileRow, "cart">): CartLineState[] {
  return (row.cart as CartLineJson[]).map((l) => ({ ...l, firstAddedAt: new Date(l.firstAddedAt), lastChangedAt: new Date(l.lastChangedAt) }));
}

export function rowToProfileState(row: ProfileRow): ProfileState {
  return {
    shop: row.shop,
    profileId: row.id,
    email: row.email,
    customerId: row.customerId,
    firstName: row.firstName,
    lastName: row.lastName,
    marketingConsent: row.marketingConsent as MarketingConsent,
    acceptsMarketingAtCheckout: row.acceptsMarketingAtCheckout,
    timezone: null,
    cart: cartOf(row),
    cartTokens: row.cartTokens,
    checkoutTokens: row.checkoutTokens,
    charges: (row.charges as ChargeJson[]).map((c) => ({ ...c, at: new Date(c.at) })),
    cartChangedAt: row.cartChangedAt,
  };
}
