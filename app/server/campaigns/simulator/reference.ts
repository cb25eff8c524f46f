import type { Journey, SimEvent } from "./journeys.ts";
import { DELAY_MS } from "./journeys.ts";

/**
 * The reference model, written apart from the engine: from a journey's events and their
 * arrival times, which emails a correct Cartback sends and at which tick. The worker runs
 * at `ticks`; a step is evaluated on the first tick at or after its due time with what has
 * arrived by then, and a shopper not yet reachable is emailed on the first tick after they
 * become so — unless a purchase has arrived by that tick, or the cart is empty. Devices are
 * one shopper only from the tick their Identify arrived.
 */
export interface Expected {
  key: string;
  email: string;
  tick: number;
}

export function expectedEmail(journey: Journey, ticks: number[], quiet: (at: number) => boolean): Expected | null {
  const arrivedBy = (e: SimEvent, tick: number) => Math.min(...e.arrivals) <= tick;
  const deviceOf = (e: SimEvent) => String(e.body.clientId);
  const cartEvents = journey.events.filter((e) => e.body.name === "Added to Cart" || e.body.name === "Removed from Cart").sort((a, b) => a.occurredAt - b.occurredAt);
  const identifies = journey.events.filter((e) => e.body.name === "Identify");
  const purchase = journey.events.find((e) => e.body.name === "Charged");
  if (journey.consent !== "subscribed") return null;
  for (const tick of ticks) {
    // A purchase that arrived at any evaluation up to the send stops it for good.
    if (purchase && arrivedBy(purchase, tick)) return null;
    // The shopper as Cartback knows them at this tick: the devices whose Identify has
    // arrived. A device not stitched yet is an anonymous stranger with nobody to email.
    const known = new Set(identifies.filter((e) => arrivedBy(e, tick)).map(deviceOf));
    if (known.size === 0) continue;
    const mine = cartEvents.filter((e) => known.has(deviceOf(e)) && arrivedBy(e, tick));
    if (mine.length === 0 || !nonEmpty(mine)) continue;
    // Debounce over every device of the shopper; one email per shopper and step, whichever
    // device's cart it was about and whenever the others were stitched in.
    const due = Math.max(...mine.map((e) => e.occurredAt)) + DELAY_MS;
    if (tick >= due && !quiet(tick)) return { key: journey.key, email: journey.email, tick };
  }
  return null;
}

/** The cart as a multiset per device, folded in occurrence order. */
function nonEmpty(cartEvents: SimEvent[]): boolean {
  const lines = new Map<string, number>();
  for (const e of cartEvents) {
    const k = `${String(e.body.clientId)}:${String(e.body.variantId)}`;
    const q = Number(e.body.quantity ?? 0);
    if (e.body.name === "Added to Cart") lines.set(k, (lines.get(k) ?? 0) + q);
    else lines.set(k, Math.max(0, (lines.get(k) ?? 0) - q));
  }
  return [...lines.values()].some((q) => q > 0);
}
