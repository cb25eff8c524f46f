/**
 * Revenue journeys for the simulator: a shopper abandons a cart, then (once the campaign has
 * emailed them or held them out) maybe clicks the email's restore link and maybe orders —
 * with the emailed cart's token, after the click within the attribution window, long after
 * the click, or without any click — in the shop's currency or another presentment currency,
 * with the email's discount code at checkout (a held-out shopper with the shop's public code),
 * sometimes refunded (before or after the order arrives), sometimes reported twice.
 * Seeded: every draw goes through `rand`, in order.
 */
export type RevenueAction = "none" | "token" | "click" | "late" | "unclicked" | "code";

export interface SimOrder {
  orderId: string;
  /** Offset from the decision tick (ms) when the order was placed. */
  atMs: number;
  cartToken: string;
  /** The order total in the shop's money (USD cents) and in the presentment currency. */
  shopMinor: number;
  presentment: { currency: string; minor: number };
  /** orders/paid of the same order delivered again under another webhook id. */
  reportedTwice: boolean;
  /** A partial refund; `first`: its webhook arrives before the order's (webhooks come in any order). */
  refund: { refundId: string; minor: number; atMs: number; topic: "refunds/create" | "orders/updated"; first: boolean } | null;
}

export interface RevenueJourney {
  index: number;
  key: string;
  email: string;
  clientId: string;
  cartToken: string;
  /** When the last cart change happened, as an offset from the run's start (ms). */
  startMs: number;
  lines: { variantId: string; quantity: number }[];
  action: RevenueAction;
  /** Offset from the decision tick of the restore-link click (emailed shoppers only). */
  clickAtMs: number | null;
  order: SimOrder | null;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const WINDOW_MS = 5 * DAY;
export const PRICE_MINOR = 2500;
const VARIANTS = ["1001", "1002", "1003", "44843038015702"];
const ACTIONS: RevenueAction[] = ["none", "none", "token", "token", "click", "click", "late", "unclicked", "code"];
/** EUR per USD for presentment totals: the shop's money is what gets summed, never this. */
const EUR_RATE = 0.92;

export function generateRevenueJourney(index: number, spreadMs: number, count: number, rand: () => number): RevenueJourney {
  const key = `r${index}`;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const lines = new Map<string, number>();
  for (let i = 0, n = 1 + Math.floor(rand() * 2); i < n; i++) lines.set(pick(VARIANTS), 1 + Math.floor(rand() * 3));
  const action = pick(ACTIONS);
  // An hour after the decision tick at the earliest: after a send a slow render deferred, too.
  const clickAtMs = action === "click" || action === "late" ? HOUR + Math.floor(rand() * 2 * DAY) : null;
  const journey: RevenueJourney = {
    index, key, email: `${key}@example.com`, clientId: `${key}-browser`, cartToken: `c1-${key}`,
    startMs: Math.floor((index / count) * spreadMs),
    lines: [...lines].map(([variantId, quantity]) => ({ variantId, quantity })),
    action, clickAtMs, order: null,
  };
  if (action !== "none") journey.order = order(journey, rand);
  return journey;
}

function orderTime(action: RevenueAction, clickAtMs: number | null, rand: () => number): number {
  switch (action) {
    case "click":
      // Within the window after the click, an hour's margin from its edge.
      return clickAtMs! + HOUR + Math.floor(rand() * (WINDOW_MS - 2 * HOUR));
    case "late":
      return clickAtMs! + WINDOW_MS + HOUR + Math.floor(rand() * DAY);
    default:
      return HOUR + Math.floor(rand() * 3 * DAY);
  }
}

function order(j: RevenueJourney, rand: () => number): SimOrder {
  const atMs = orderTime(j.action, j.clickAtMs, rand);
  const cartMinor = j.lines.reduce((n, l) => n + l.quantity * PRICE_MINOR, 0);
  // Shipping and taxes make the order's total differ from the cart's.
  const shopMinor = cartMinor + Math.floor(rand() * 1500);
  const presentment = rand() < 0.25 ? { currency: "EUR", minor: Math.round(shopMinor * EUR_RATE) } : { currency: "USD", minor: shopMinor };
  const reportedTwice = rand() < 0.15;
  const orderId = `${j.index + 1}${String(Math.floor(rand() * 1000)).padStart(3, "0")}`;
  let refund: SimOrder["refund"] = null;
  if (rand() < 0.25) {
    refund = {
      refundId: `9${orderId}`,
      minor: 1 + Math.floor(rand() * shopMinor),
      atMs: atMs + 60_000 + Math.floor(rand() * DAY),
      topic: rand() < 0.3 ? "orders/updated" : "refunds/create",
      first: rand() < 0.2,
    };
  }
  return {
    orderId, atMs,
    // "token": checkout of the emailed cart; otherwise the permalink or a new visit made a new cart.
    cartToken: j.action === "token" ? j.cartToken : `c2-${j.key}`,
    shopMinor, presentment, reportedTwice, refund,
  };
}
