import type { CartEvent } from "../events/event.ts";

/**
 * The canonical order of a profile's events: occurredAt, then id. Every derivation walks
 * this order, so the result depends only on the set of events, never on arrival order.
 */
export function canonicalOrder(events: Iterable<CartEvent>): CartEvent[] {
  const byId = new Map<string, CartEvent>();
  for (const event of events) if (!byId.has(event.id)) byId.set(event.id, event);
  return [...byId.values()].sort(compareEvents);
}

export function compareEvents(a: { occurredAt: Date; id: string }, b: { occurredAt: Date; id: string }): number {
  return compareKeys(a.occurredAt.getTime(), a.id, b.occurredAt.getTime(), b.id);
}

/** The same order on (epoch ms, id) keys. */
export function compareKeys(aAt: number, aId: string, bAt: number, bId: string): number {
  if (aAt !== bAt) return aAt - bAt;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/** A cart mutation: Added or Removed. */
export type Delta = Extract<CartEvent, { name: "Added to Cart" | "Removed from Cart" }>;

export function isDelta(event: CartEvent): event is Delta {
  return event.name === "Added to Cart" || event.name === "Removed from Cart";
}
