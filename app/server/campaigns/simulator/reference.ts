import type { Journey } from "./journeys.ts";
import { DELAY_MS } from "./journeys.ts";

/**
 * The reference model, written apart from the engine: from a journey's events and their
 * arrival times, which emails a correct Cartback sends and at which tick. The worker runs
 * at `ticks`; a step is evaluated on the first tick at or after its due time with what has
 * arrived by then, and a shopper not yet reachable is emailed on the first tick after they
 * become so — unless a purchase has arrived by that tick, or the cart is empty.
 */
export interface Expected {
  key: string;
  email: string;
  tick: number;
}

export function expectedEmail(journey: Journey, ticks: number[], quiet: (at: number) => boolean): Expected | null {
  const events = journey.events;
  const firstArrival = (e: (typeof events)[number]) => Math.min(...e.arrivals);
  // The cart as a multiset per device, folded in occurrence order.
  const cartEvents = events.filter((e) => e.body.name === "Added to Cart" || e.body.name === "Removed from Cart").sort((a, b) => a.occurredAt - b.occurredAt);
  const lines = new Map<string, number>();
  for (const e of cartEvents) {
    const k = `${String(e.body.clientId)}:${String(e.body.variantId)}`;
    const q = Number(e.body.quantity ?? 0);
    if (e.body.name === "Added to Cart") lines.set(k, (lines.get(k) ?? 0) + q);
    else lines.set(k, Math.max(0, (lines.get(k) ?? 0) - q));
  }
  const nonEmpty = [...lines.values()].some((q) => q > 0);
  if (!nonEmpty || cartEvents.length === 0) return null;
  const due = Math.max(...cartEvents.map((e) => e.occurredAt)) + DELAY_MS;
  const identifies = events.filter((e) => e.body.name === "Identify");
  const reachableFrom = journey.consent === "subscribed" && identifies.length > 0
    // Every device's profile must be stitched before the cart is one shopper's.
    ? Math.max(...identifies.map(firstArrival))
    : Number.POSITIVE_INFINITY;
  const purchase = events.find((e) => e.body.name === "Charged");
  const purchasedBy = (tick: number) => purchase !== undefined && firstArrival(purchase) <= tick;
  const tick = ticks.find((t) => t >= due && t >= reachableFrom && !quiet(t));
  if (tick === undefined) return null;
  // A purchase that arrived at any evaluation up to the send stops it for good.
  if (purchasedBy(tick)) return null;
  return { key: journey.key, email: journey.email, tick };
}
