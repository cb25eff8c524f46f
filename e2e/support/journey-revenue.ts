import { randomUUID } from "node:crypto";
import type { AppProcess, WebhookDelivery } from "@cartback/testing";
import type { JourneyPlan, JourneyTiming } from "./journey-plan.ts";
import { type Line, orderPayload } from "./webhooks.ts";

/**
 * The money side of a webhook journey, from outside: the shopper follows the email's restore
 * link (the real `/r/<token>` redirect, read from the email as it arrived), orders from the
 * new cart it made (sometimes paying in EUR on this USD shop), and some orders are partly
 * refunded. The reference below says what the Results page must show, by its own rules.
 */
export interface SimOrder {
  orderId: string;
  /** When the payload was made (its created_at), ms since the epoch. */
  at: number;
  /** "token": carries the abandoned cart's token and checkout; "click": a new cart after the click. */
  kind: "token" | "click";
  shopMinor: number;
  refundMinor: number;
}

const cents = (lines: Line[]) => lines.reduce((n, l) => n + Math.round(Number(l.variant.price) * 100) * l.quantity, 0);
const decimal = (minor: number) => (minor / 100).toFixed(2);

/** orders/create as Shopify sends it for a shopper who paid in EUR: `total_price` and `currency` stay the shop's. */
export function orderDelivery(plan: JourneyPlan, orderId: string, cartToken: string, checkoutToken: string, lines: Line[], eur: boolean): { delivery: WebhookDelivery; order: SimOrder } {
  const at = Date.now();
  const shopMinor = cents(lines);
  let raw = orderPayload(orderId, cartToken, checkoutToken, new Date(at).toISOString(), plan.shopper, lines);
  if (eur) {
    const body = JSON.parse(raw) as Record<string, unknown>;
    body.presentment_currency = "EUR";
    body.total_price_set = { shop_money: { amount: decimal(shopMinor), currency_code: "USD" }, presentment_money: { amount: decimal(Math.round(shopMinor * 0.92)), currency_code: "EUR" } };
    raw = JSON.stringify(body);
  }
  const kind = cartToken === plan.cartToken ? "token" : "click";
  return { delivery: { topic: "orders/create", raw, webhookId: randomUUID() }, order: { orderId, at, kind, shopMinor, refundMinor: 0 } };
}

/** refunds/create for part of an order, in the shop's money (amount_set.shop_money). */
export function refundDelivery(order: SimOrder, minor: number, eur: boolean): WebhookDelivery {
  order.refundMinor = minor;
  const presentment = eur ? { amount: decimal(Math.round(minor * 0.92)), currency_code: "EUR" } : { amount: decimal(minor), currency_code: "USD" };
  const raw = JSON.stringify({
    id: Number(`7${order.orderId}`), order_id: Number(order.orderId), created_at: new Date().toISOString(),
    transactions: [{ kind: "refund", status: "success", amount: presentment.amount, currency: presentment.currency_code, amount_set: { shop_money: { amount: decimal(minor), currency_code: "USD" }, presentment_money: presentment } }],
  });
  return { topic: "refunds/create", raw, webhookId: randomUUID() };
}

/** The email's restore link as a path on the app (`/r/<payload>.<mac>` whose payload says kind "recovery"). */
export function restoreLinkPath(html: string): string | null {
  for (const match of html.matchAll(/\/r\/([\w-]+)\.([\w-]+)/g)) {
    try {
      if ((JSON.parse(Buffer.from(match[1]!, "base64url").toString("utf8")) as { k?: unknown }).k === "recovery") return `/r/${match[1]}.${match[2]}`;
    } catch {
      // Not a click link.
    }
  }
  return null;
}

/** Follows the restore link without following the redirect; the answer must send the shopper to the shop's cart. */
export async function followRestoreLink(app: AppProcess, html: string): Promise<string | null> {
  const path = restoreLinkPath(html);
  if (!path) return "the email has no restore link through /r/";
  const response = await fetch(`${app.url}${path}`, { redirect: "manual" });
  const location = response.headers.get("location") ?? "";
  return response.status === 302 && /\/cart\/\d+:\d+/.test(location) ? null : `restore link answered ${response.status} → ${location}`;
}

export interface RevenueExpectation {
  clicks: number;
  orders: number;
  revenueMinor: number;
  refundedMinor: number;
  /** Orders whose email and order came within 2 s of each other: either credit is right. */
  uncertain: SimOrder[];
}

/**
 * Credited: an order after the shopper's click (the click only happens on an email), or an
 * order carrying the emailed cart's token placed after the email was sent. Money in the
 * shop's currency, refunds netted from credited orders only.
 */
export function expectedRevenue(plans: JourneyPlan[], timings: JourneyTiming[], firstEmailAt: (plan: JourneyPlan) => number | null): RevenueExpectation {
  const e: RevenueExpectation = { clicks: 0, orders: 0, revenueMinor: 0, refundedMinor: 0, uncertain: [] };
  for (const plan of plans) {
    const timing = timings[plan.index]!;
    if (timing.clickedAt !== null) e.clicks++;
    const emailAt = firstEmailAt(plan);
    for (const order of timing.orders) {
      const margin = emailAt === null ? Number.POSITIVE_INFINITY : order.at - emailAt;
      if (order.kind === "token" && Math.abs(margin) < 2_000) {
        e.uncertain.push(order);
        continue;
      }
      if (order.kind === "click" ? timing.clickedAt === null : margin < 0 || margin === Number.POSITIVE_INFINITY) continue;
      e.orders++;
      e.revenueMinor += order.shopMinor;
      e.refundedMinor += order.refundMinor;
    }
  }
  return e;
}

/** Whether `actual` (orders, net) is the expectation plus some of its uncertain orders. */
export function matchesExpectation(e: RevenueExpectation, actual: { orders: number; netMinor: number }): boolean {
  const n = Math.min(e.uncertain.length, 12);
  for (let mask = 0; mask < 2 ** n; mask++) {
    const chosen = e.uncertain.slice(0, n).filter((_, i) => mask & (1 << i));
    const net = e.revenueMinor - e.refundedMinor + chosen.reduce((s, o) => s + o.shopMinor - o.refundMinor, 0);
    if (actual.orders === e.orders + chosen.length && actual.netMinor === net) return true;
  }
  return false;
}
