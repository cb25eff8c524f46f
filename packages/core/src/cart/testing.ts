import type { CartEvent, CartLineInput, Identifiers } from "../events/event.ts";
import type { EventSource } from "../events/names.ts";

/** Compact builders for cart tests (core and server). */
const T0 = Date.parse("2026-03-01T12:00:00.000Z");

export interface Witness {
  id: string;
  /** Seconds after a fixed start. */
  at: number;
  source?: EventSource;
  ids?: Identifiers;
  shop?: string;
}

function envelope(w: Witness) {
  return {
    id: w.id,
    shop: w.shop ?? "test.myshopify.com",
    occurredAt: new Date(T0 + w.at * 1000),
    receivedAt: new Date(T0 + w.at * 1000 + 500),
    source: w.source ?? "sdk",
    identifiers: w.ids ?? {},
  };
}

export function line(variantId: string, quantity: number, unitPrice: number | null = 1000): CartLineInput {
  return { variantId, quantity, unitPrice, currency: unitPrice === null ? null : "USD", title: null, productId: null, imageUrl: null, url: null, sku: null };
}

export const ev = {
  add: (w: Witness, variantId: string, quantity = 1): CartEvent => ({ ...envelope(w), name: "Added to Cart", line: line(variantId, quantity) }),
  remove: (w: Witness, variantId: string, quantity: number | null = null): CartEvent => ({
    ...envelope(w),
    name: "Removed from Cart",
    line: { ...line(variantId, 1), quantity },
  }),
  snapshot: (w: Witness, lines: Record<string, number>): CartEvent => ({
    ...envelope(w),
    name: "Cart Snapshot",
    lines: Object.entries(lines).filter(([, q]) => q > 0).map(([v, q]) => line(v, q)),
  }),
  checkout: (w: Witness): CartEvent => ({ ...envelope(w), name: "Checkout Started", lines: [], total: null, currency: null, acceptsMarketing: null }),
  identify: (w: Witness, extra: Partial<Extract<CartEvent, { name: "Identify" }>> = {}): CartEvent => ({
    ...envelope(w),
    name: "Identify",
    firstName: null,
    lastName: null,
    marketingConsent: null,
    via: null,
    ...extra,
  }),
  charged: (w: Witness, orderId: string): CartEvent => ({
    ...envelope(w),
    name: "Charged",
    orderId,
    total: 1000,
    currency: "USD",
    lines: [],
    acceptsMarketing: null,
  }),
};

export function quantities(lines: readonly { variantId: string; quantity: number }[]): Record<string, number> {
  return Object.fromEntries(lines.map((l) => [l.variantId, l.quantity]));
}
