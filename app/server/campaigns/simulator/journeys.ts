import { type Shopper, type SimLine, type WebhookDelivery, cartWebhook, checkoutWebhook, orderWebhook } from "./webhooks.ts";

/**
 * Random shopper journeys for the simulator: what happened (occurredAt) and when each
 * delivery of it reached Cartback (arrivals; a retried webhook or a resent SDK batch is a
 * second arrival of the same event id). Seeded, so a failure can be replayed.
 */
export interface SimEvent {
  id: string;
  occurredAt: number;
  /** Arrival times in ms; more than one = duplicate deliveries, in any order relative to others. */
  arrivals: number[];
  /** The event as the public API takes it (what the reference model reads). */
  body: Record<string, unknown>;
  /** How each arrival came: the API body, or a signed Shopify webhook saying the same thing. */
  deliveries: Delivery[];
}

export type Delivery =
  | { at: number; via: "api" }
  | { at: number; via: "webhook"; webhook: WebhookDelivery; webhookId: string; topic: string };

export interface Journey {
  key: string;
  email: string;
  consent: "subscribed" | "not_subscribed";
  devices: number;
  /** Cart changes, identities and the order come as Shopify webhooks (some also by API). */
  webhooks: boolean;
  events: SimEvent[];
  /** What kind it is, for failure messages. */
  story: string;
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

const MIN = 60_000;
export const DELAY_MS = 15 * MIN;
export const VARIANTS = ["1001", "1002", "1003", "44843038015702"];

/** A journey's event list as it is built; every random draw goes through `rand`, in order (seeds replay). */
interface EventLog {
  key: string;
  rand: () => number;
  events: SimEvent[];
  pick<T>(xs: readonly T[]): T;
  push(occurredAt: number, body: Record<string, unknown>): void;
  device(d: number): { clientId: string; cartToken: string };
}

function eventLog(key: string, rand: () => number): EventLog {
  const events: SimEvent[] = [];
  let n = 0;
  // Up to 20 s between a witness seeing it and Cartback receiving it; 15 % delivered twice.
  const arrive = (at: number) => {
    const first = at + Math.floor(rand() * 20_000);
    return rand() < 0.15 ? [first, first + Math.floor(rand() * 60_000)] : [first];
  };
  return {
    key,
    rand,
    events,
    pick: (xs) => xs[Math.floor(rand() * xs.length)]!,
    push(occurredAt, body) {
      const arrivals = arrive(occurredAt);
      const deliveries = arrivals.map((at) => ({ at, via: "api" as const }));
      events.push({ id: `${key}-e${n++}`, occurredAt, arrivals, deliveries, body: { ...body, occurredAt: new Date(occurredAt).toISOString() } });
    },
    device: (d) => ({ clientId: `${key}-browser${d}`, cartToken: `c1-${key}-d${d}` }),
  };
}

export function generateJourney(index: number, start: number, rand: () => number): Journey {
  const key = `j${index}`;
  const email = `${key}@example.com`;
  const devices = rand() < 0.2 ? 2 : 1;
  const consent = rand() < 0.8 ? "subscribed" : "not_subscribed";
  const log = eventLog(key, rand);
  const cart = cartActivity(log, devices, start);
  const lastCart = cart.t - 11_000;
  const due = lastCart + DELAY_MS;
  let story = cart.story;
  story += identities(log, devices, lastCart, due, email, consent);
  story += purchase(log, index, lastCart, due, email);
  const webhooks = rand() < 0.4;
  if (webhooks) {
    for (const e of log.events) asWebhooks(e, log.events, { customerId: 7_000_000 + index, email, consent }, new Date(start).toISOString(), rand);
    story += ", webhooks";
  }
  return { key, email, consent, devices, webhooks, events: log.events, story };
}

/** Cart activity in the first ten minutes: adds, sometimes removals, sometimes emptied. Returns the next free time. */
function cartActivity(log: EventLog, devices: number, start: number): { t: number; story: string } {
  const { rand, pick, push, device } = log;
  const cart = new Map<string, number>();
  let t = start;
  const adds = 1 + Math.floor(rand() * 3);
  for (let i = 0; i < adds; i++) {
    const d = devices === 2 ? i % 2 : 0;
    const variantId = pick(VARIANTS);
    const quantity = 1 + Math.floor(rand() * 2);
    push(t, { name: "Added to Cart", ...device(d), variantId, quantity, priceMinor: 2500, currency: "USD" });
    cart.set(`${d}:${variantId}`, (cart.get(`${d}:${variantId}`) ?? 0) + quantity);
    // Ingest treats same-kind changes of one variant within 10 s as witnesses of one change.
    t += Math.floor(rand() * 4 * MIN) + 11_000;
  }
  let story = `${devices} device(s), ${adds} add(s)`;
  if (rand() < 0.12) {
    const removed: string[] = [];
    for (const [k, q] of cart) {
      const [d, variantId] = k.split(":");
      push(t, { name: "Removed from Cart", ...device(Number(d)), variantId, quantity: q });
      removed.push(variantId!);
    }
    story += ", emptied";
    t += 11_000;
    if (rand() < 0.5) {
      // Often the very item just removed: lines end as they were, and the due time must move.
      const variantId = rand() < 0.5 ? pick(removed) : "2002";
      push(t, { name: "Added to Cart", ...device(0), variantId, quantity: 1, priceMinor: 2500, currency: "USD" });
      story += variantId === "2002" ? " then re-added another item" : " then re-added the same item";
      t += 11_000;
    }
  }
  return { t, story };
}

/**
 * Each device is stitched to the shopper by its own Identify: before the due time, around
 * it, long after it (another device may have had its email by then), or never.
 */
function identities(log: EventLog, devices: number, lastCart: number, due: number, email: string, consent: string): string {
  const { rand, pick, push, device } = log;
  const when = Array.from({ length: devices }, () => pick(["early", "early", "around", "late", "never"] as const));
  when.forEach((identity, d) => {
    const at = identity === "early" ? lastCart + Math.floor(rand() * 3 * MIN)
      : identity === "around" ? due - 2 * MIN + Math.floor(rand() * 4 * MIN)
      : identity === "late" ? due + MIN + Math.floor(rand() * 180 * MIN)
      : null;
    if (at !== null) push(at, { name: "Identify", ...device(d), email, marketingConsent: consent, via: "form" });
  });
  return `, identity ${when.join("/")} (${consent})`;
}

function purchase(log: EventLog, index: number, lastCart: number, due: number, email: string): string {
  const { rand, pick, push, device } = log;
  const when = pick(["none", "none", "before", "around", "after"] as const);
  if (when === "none") return "";
  const at = when === "before" ? lastCart + MIN + Math.floor(rand() * 10 * MIN)
    : when === "around" ? due - 60_000 + Math.floor(rand() * 120_000)
    : due + 5 * MIN + Math.floor(rand() * 60 * MIN);
  push(at, { name: "Charged", ...device(0), email, orderId: `${index + 1}${String(Math.floor(rand() * 1000)).padStart(3, "0")}` /* unique per journey, no leading zero (a JSON number) */, lines: [] });
  return `, purchase ${when}`;
}

/**
 * The same event told by Shopify: a cart change as the carts/update snapshot of its token
 * (half the time the storefront's API delta arrives too, a second witness), an Identify as
 * the checkout that names the shopper, a purchase as orders/create. A second arrival is
 * Shopify's retry of the same webhook id, or now and then the same payload under a new id
 * and the sibling topic (carts/create, checkouts/create, orders/paid).
 */
function asWebhooks(e: SimEvent, all: SimEvent[], shopper: Shopper, createdAt: string, rand: () => number) {
  const b = e.body;
  const at = new Date(e.occurredAt).toISOString();
  const token = String(b.cartToken);
  const checkoutToken = token.replace(/^c1-/, "chk-");
  const webhook = b.name === "Identify" ? checkoutWebhook(checkoutToken, token, at, shopper, cartOf(all, token, e.occurredAt))
    : b.name === "Charged" ? orderWebhook(String(b.orderId), token, checkoutToken, at, shopper)
    : cartWebhook(token, createdAt, at, cartOf(all, token, e.occurredAt));
  e.deliveries = e.arrivals.map((arrival, i) => {
    const resend = i > 0 && rand() < 0.3;
    return { at: arrival, via: "webhook", webhook, webhookId: `wh-${e.id}-${resend ? i : 0}`, topic: webhook.topics[resend ? 1 : 0] };
  });
  if (webhook.route === "carts" && rand() < 0.5) {
    const witness = e.arrivals[0]! + Math.floor(rand() * 20_000);
    e.arrivals.push(witness);
    e.deliveries.push({ at: witness, via: "api" });
  }
}

/** One cart token's lines after every change up to `until` (what a carts/update shows). */
function cartOf(all: SimEvent[], token: string, until: number): SimLine[] {
  const lines = new Map<string, number>();
  for (const e of all) {
    if (e.body.cartToken !== token || e.occurredAt > until) continue;
    const variantId = String(e.body.variantId);
    const q = Number(e.body.quantity ?? 0);
    if (e.body.name === "Added to Cart") lines.set(variantId, (lines.get(variantId) ?? 0) + q);
    if (e.body.name === "Removed from Cart") lines.set(variantId, Math.max(0, (lines.get(variantId) ?? 0) - q));
  }
  return [...lines].filter(([, q]) => q > 0).map(([variantId, quantity]) => ({ variantId, quantity }));
}
