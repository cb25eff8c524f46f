import { randomUUID } from "node:crypto";
import type { E2eVariant } from "./catalog.ts";
import type { SimOrder } from "./journey-revenue.ts";
import type { Line, Shopper } from "./webhooks.ts";

/**
 * Webhook-only shopper journeys in real time against a running app: random carts
 * (carts/create, sometimes carts/update), a checkout that names the shopper (or none), a
 * purchase before the due time, after the email, or never; a quarter of them "messy": every
 * delivery retried under its webhook id, re-sent under a new id as the sibling topic,
 * out of order, and older snapshots and retries delivered after the email. Which journeys
 * must get an email follows from the story alone; the run compares that with what arrived.
 */
export interface JourneyPlan {
  index: number;
  shopper: Shopper;
  cartToken: string;
  first: Line[];
  /** The cart after carts/update (null: no update). */
  update: Line[] | null;
  checkout: boolean;
  purchase: "none" | "before" | "after";
  messy: boolean;
  startAfterMs: number;
  /** Without a purchase of their own: follow the email's restore link, and maybe order from the cart it makes. */
  click: "none" | "only" | "order";
  /** Orders paid in EUR (presentment) on the USD shop. */
  eur: boolean;
  /** Part of the order refunded. */
  refund: boolean;
}

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function planJourneys(count: number, seed: number, variants: E2eVariant[], spreadMs: number): JourneyPlan[] {
  const rand = prng(seed);
  const run = randomUUID().slice(0, 6);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const cart = (): Line[] => {
    const lines = new Map<E2eVariant, number>();
    for (let i = 0, n = 1 + Math.floor(rand() * 3); i < n; i++) lines.set(pick(variants), 1 + Math.floor(rand() * 3));
    return [...lines].map(([variant, quantity]) => ({ variant, quantity }));
  };
  return Array.from({ length: count }, (_, index) => {
    const first = cart();
    const roll = rand();
    const update = roll < 0.5 ? null : roll < 0.93 ? cart() : [];
    return {
      index,
      shopper: { customerId: 95_000_000 + index, email: `j${index}.${run}@example.com`, consent: rand() < 0.9 ? "subscribed" : "not_subscribed" },
      cartToken: `j${index}${run}${randomUUID().replaceAll("-", "").slice(0, 16)}`,
      first,
      update,
      checkout: rand() < 0.85,
      purchase: pick(["none", "none", "before", "after"] as const),
      messy: rand() < 0.25,
      startAfterMs: Math.floor((index / count) * spreadMs),
      click: pick(["none", "only", "order", "order"] as const),
      eur: rand() < 0.3,
      refund: rand() < 0.3,
    };
  });
}

/** Whether carts/update's lines differ from carts/create's (the same variants at the same quantities change nothing). */
export function updateChangesCart(plan: JourneyPlan): boolean {
  if (plan.update === null) return false;
  const key = (lines: Line[]) => lines.map((l) => `${l.variant.id}x${l.quantity}`).sort().join(",");
  return key(plan.update) !== key(plan.first);
}

/** What the story says, before any timing: mail a named, consenting shopper with a non-empty cart who did not buy first. */
export function storyExpectsEmail(plan: JourneyPlan): boolean {
  const finalCart = plan.update ?? plan.first;
  return plan.checkout && plan.shopper.consent === "subscribed" && plan.purchase !== "before" && finalCart.length > 0;
}

/** When things happened, as this side saw them (ms since the epoch). */
export interface JourneyTiming {
  /**
   * When the payload of the newest cart snapshot that changed the lines was made (its
   * updated_at). A carts/update with the lines carts/create had changes nothing, so it does
   * not move the due time: the app may send one delay after carts/create.
   */
  lastCartAt: number;
  /** When the app acknowledged the checkout that names the shopper (no address before it). */
  identifiedAt: number | null;
  /** When the app acknowledged the order of a purchase "before" the due time. */
  purchaseAckAt: number | null;
  /** When the order of a purchase "after" was sent (once the email came, or the wait ran out). */
  purchaseAfterAt: number | null;
  /** When the restore link was followed (null: never). */
  clickedAt: number | null;
  /** Every order this journey placed, with its money. */
  orders: SimOrder[];
}

/**
 * The expectation, given how long the app took to answer: nothing may be sent before
 * max(last cart change + delay, the checkout's acknowledgement), so a purchase acknowledged
 * before that must stop the email. When a slow answer pushes the purchase past it, either
 * outcome is right: the journey is "ambiguous" and left out of precision and recall.
 */
export function expectation(plan: JourneyPlan, timing: JourneyTiming, delayMs: number, firstEmailAt: number | null): "email" | "none" | "ambiguous" {
  if (plan.purchase === "after") {
    // Bought after the due time: the email must have come before the order, or never (an
    // email deferred past the order, e.g. by a slow render, must then be skipped).
    if (!storyExpectsEmail(plan)) return "none";
    return firstEmailAt !== null && timing.purchaseAfterAt !== null && firstEmailAt <= timing.purchaseAfterAt ? "email" : "none";
  }
  if (plan.purchase !== "before") return storyExpectsEmail(plan) ? "email" : "none";
  const earliestSend = Math.max(timing.lastCartAt + delayMs, timing.identifiedAt ?? 0);
  if (timing.purchaseAckAt !== null && timing.purchaseAckAt < earliestSend) return "none";
  return plan.checkout && plan.shopper.consent === "subscribed" && (plan.update ?? plan.first).length > 0 ? "ambiguous" : "none";
}
