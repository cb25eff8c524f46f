import type { RevenueJourney } from "./revenue-journeys.ts";
import { WINDOW_MS } from "./revenue-journeys.ts";

/**
 * The revenue reference model, written apart from Cartback's attribution: from each journey's
 * story and whether it was emailed or held out (what the SMTP relay received, what the
 * decisions say), which orders a correct Cartback credits and the money it reports.
 *
 * - An order of an emailed shopper carrying the emailed cart's token is credited (the cart
 *   existed before the email). An order after a click on the email within the window is
 *   credited. An order long after the click, or without a click on a new cart, is not.
 * - An order carrying the code the shopper's email gave is credited by it, click or not.
 * - A held-out shopper is never credited (no email to credit; their code is the shop's public one).
 * - Money is the shop's (USD), whatever the shopper paid in; refunds net credited orders only.
 * - "Converted": the episode's order came within the window after its email or holdout
 *   decision, credited or not (the lift's two groups).
 */
export type Group = "emailed" | "holdout";

export interface RevenueExpectation {
  emailed: number;
  holdout: number;
  clicks: number;
  recoveredOrders: number;
  revenueMinor: number;
  refundedMinor: number;
  netRevenueMinor: number;
  emailedConverted: number;
  holdoutConverted: number;
  /** Order id → the rule it must be credited by, or null. */
  rules: Map<string, "discount_code" | "cart_token" | "click" | null>;
}

export function clicks(j: RevenueJourney, group: Group | undefined): boolean {
  return group === "emailed" && j.clickAtMs !== null;
}

export function expectedRevenue(journeys: RevenueJourney[], groupOf: (j: RevenueJourney) => Group | undefined): RevenueExpectation {
  const e: RevenueExpectation = {
    emailed: 0, holdout: 0, clicks: 0, recoveredOrders: 0, revenueMinor: 0, refundedMinor: 0, netRevenueMinor: 0, emailedConverted: 0, holdoutConverted: 0, rules: new Map(),
  };
  for (const j of journeys) {
    const group = groupOf(j);
    if (group === "emailed") e.emailed++;
    if (group === "holdout") e.holdout++;
    if (clicks(j, group)) e.clicks++;
    const order = j.order;
    if (!order) continue;
    const rule = group !== "emailed" ? null
      : j.action === "code" ? "discount_code"
      : j.action === "token" ? "cart_token"
      : j.action === "click" && order.atMs - j.clickAtMs! <= WINDOW_MS ? "click"
      : null;
    e.rules.set(order.orderId, rule);
    const inWindow = order.atMs >= 0 && order.atMs <= WINDOW_MS;
    if (group === "emailed" && (rule !== null || inWindow)) e.emailedConverted++;
    if (group === "holdout" && inWindow) e.holdoutConverted++;
    if (rule === null) continue;
    e.recoveredOrders++;
    e.revenueMinor += order.shopMinor;
    e.refundedMinor += order.refund?.minor ?? 0;
  }
  e.netRevenueMinor = e.revenueMinor - e.refundedMinor;
  return e;
}
