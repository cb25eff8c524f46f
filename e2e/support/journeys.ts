import { randomUUID } from "node:crypto";
import type { AppProcess, WebhookDelivery } from "@cartback/testing";
import { expectation, type JourneyPlan, type JourneyTiming, storyExpectsEmail, updateChangesCart } from "./journey-plan.ts";
import { expectedRevenue, followRestoreLink, orderDelivery, type RevenueExpectation, refundDelivery } from "./journey-revenue.ts";
import { recoveryLines } from "./recovery.ts";
import { cartPayload, checkoutPayload } from "./webhooks.ts";

export { type JourneyPlan, planJourneys } from "./journey-plan.ts";

export interface JourneyReport {
  journeys: number;
  expected: number;
  sent: number;
  truePositives: number;
  precision: number;
  recall: number;
  /** Shoppers mailed more than once for their one cart. */
  mailedTwice: number;
  /** Emails whose recovery link does not rebuild the final cart. */
  wrongCart: number;
  /** Emails that arrived before the delay after the last cart change. */
  early: number;
  /** Purchases "before" that a slow answer pushed past the earliest send time: left out. */
  ambiguous: number;
  messy: number;
  failures: string[];
  /** Webhook answer times (ms): median, p99, max. */
  latencyMs: { p50: number; p99: number; max: number };
  /** The addresses of the journeys that went wrong, to look up in the admin. */
  failedEmails: string[];
  /** Journeys the story says to email that the campaign held out instead (no email, a holdout decision). */
  heldOut: number;
  /** What the Results page must show for the journeys' clicks, orders and refunds. */
  revenue: RevenueExpectation;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface JourneyOptions {
  /** How long to wait for expected emails that have not come (a send the app deferred still counts). */
  settleMs?: number;
  /** Whether the campaign held this shopper out (read from the admin: a holdout decision on the profile). */
  isHeldOut?: (email: string) => Promise<boolean>;
}

/** Each delivery's topic, when it was sent and when the app answered. */
export type DeliveryLog = Array<{ topic: string; sent: number; answered: number }>;

async function send(app: AppProcess, delivery: WebhookDelivery, failures: string[], log?: DeliveryLog): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const sent = Date.now();
    const response = await app.webhook(delivery).catch((error: Error) => ({ status: 0, text: async () => error.message }));
    log?.push({ topic: delivery.topic, sent, answered: Date.now() });
    if (response.status >= 200 && response.status < 300) return;
    // Shopify retries a non-2xx delivery with the same id; so do we, and note it.
    failures.push(`${delivery.topic} ${delivery.webhookId}: HTTP ${response.status} ${(await response.text()).slice(0, 200)}`);
    await sleep(500);
  }
}

/** Runs one journey; resolves once its last delivery is made. */
async function runJourney(app: AppProcess, plan: JourneyPlan, delayMs: number, failures: string[], log: DeliveryLog): Promise<JourneyTiming> {
  const { shopper, cartToken } = plan;
  const deliver = (d: WebhookDelivery) => send(app, { webhookId: randomUUID(), ...d }, failures, log);
  await sleep(plan.startAfterMs);
  const createdAt = new Date().toISOString();
  const timing: JourneyTiming = { lastCartAt: Date.now(), identifiedAt: null, purchaseAckAt: null, purchaseAfterAt: null, clickedAt: null, orders: [] };
  const create: WebhookDelivery = { topic: "carts/create", raw: cartPayload(cartToken, createdAt, createdAt, plan.first), webhookId: randomUUID() };
  await sleep(300);
  if (updateChangesCart(plan)) timing.lastCartAt = Date.now();
  const update: WebhookDelivery | null = plan.update
    ? { topic: "carts/update", raw: cartPayload(cartToken, createdAt, new Date().toISOString(), plan.update), webhookId: randomUUID() }
    : null;
  const finalLines = plan.update ?? plan.first;
  const checkoutToken = `k${cartToken}`;
  const checkout: WebhookDelivery = { topic: "checkouts/create", raw: checkoutPayload(checkoutToken, cartToken, new Date().toISOString(), shopper, finalLines), webhookId: randomUUID() };

  // Messy: the update overtakes the create, and every delivery comes again (same id, then a new id and the sibling topic).
  const order = plan.messy && update ? [update, create] : [create, ...(update ? [update] : [])];
  for (const d of order) {
    await deliver(d);
    if (plan.messy) await Promise.all([deliver(d), deliver({ ...d, webhookId: randomUUID(), topic: d.topic === "carts/create" ? "carts/update" : "carts/create" })]);
  }
  if (plan.checkout) {
    await deliver(checkout);
    timing.identifiedAt = Date.now();
    if (plan.messy) await deliver({ ...checkout, webhookId: randomUUID(), topic: "checkouts/update" });
  }
  const lastChange = Date.now();
  const placeOrder = async (id: number, cart: string, checkout: string) => {
    const made = orderDelivery(plan, String(id), cart, checkout, finalLines, plan.eur);
    timing.orders.push(made.order);
    await deliver(made.delivery);
    if (plan.refund) await deliver(refundDelivery(made.order, Math.floor(made.order.shopMinor / 3) + 1, plan.eur));
    return made.delivery;
  };
  if (plan.purchase === "before") {
    await sleep(delayMs * 0.3);
    const o = await placeOrder(1_000_000 + plan.index, cartToken, checkoutToken);
    timing.purchaseAckAt = Date.now();
    if (plan.messy) await deliver({ ...o, topic: "orders/paid", webhookId: randomUUID() });
  }
  // After the due time: wait for this shopper's email (if one is due) before buying or being late.
  const waitUntil = lastChange + delayMs + (storyExpectsEmail(plan) ? 30_000 : 2_000);
  while (Date.now() < waitUntil && app.mail.to(shopper.email).length === 0) await sleep(200);
  const mail = app.mail.to(shopper.email)[0];
  // Well after the email (its send is recorded once the relay has answered): no race with the order.
  if (mail) await sleep(2_000);
  if (plan.purchase === "after") {
    timing.purchaseAfterAt = Date.now();
    await placeOrder(1_000_000 + plan.index, cartToken, checkoutToken);
  }
  if (plan.purchase === "none" && plan.click !== "none" && mail) {
    const refused = await followRestoreLink(app, typeof mail.html === "string" ? mail.html : "");
    if (refused) failures.push(`journey ${plan.index}: ${refused}`);
    else timing.clickedAt = Date.now();
    // The permalink made a new cart: its token was never emailed; the click is what credits it.
    if (plan.click === "order" && !refused) await placeOrder(2_000_000 + plan.index, `n${cartToken}`, `kn${cartToken}`);
  }
  if (plan.messy) {
    // Late: retries of old deliveries and the first snapshot under a new id, all dated before the email.
    await Promise.all([deliver(create), ...(update ? [deliver(update)] : []), deliver({ ...create, webhookId: randomUUID() })]);
    if (plan.checkout) await deliver(checkout);
  }
  return timing;
}

/**
 * Runs the plans, then waits until every expected email has come (at most `settleMs`: a send
 * the app deferred, e.g. for a slow render, still counts) and one delay more, so that a wrongly
 * re-opened episode has time to send its second email.
 */
export async function runJourneys(app: AppProcess, plans: JourneyPlan[], delayMs: number, options: JourneyOptions | number = {}): Promise<JourneyReport> {
  const { settleMs = 90_000, isHeldOut = async () => false } = typeof options === "number" ? { settleMs: options } : options;
  const failures: string[] = [];
  const failedEmails: string[] = [];
  const logs = plans.map((): DeliveryLog => []);
  const timings = await Promise.all(plans.map((plan, i) => runJourney(app, plan, delayMs, failures, logs[i]!)));
  const latencies = logs.flat().map((d) => d.answered - d.sent).sort((a, b) => a - b);
  // Anything a late delivery wrongly re-opened would be due one delay later.
  const firstEmailAt = (plan: JourneyPlan) => {
    const first = app.mail.to(plan.shopper.email)[0];
    return first ? (app.mail.receivedAt(first) ?? null) : null;
  };
  const wanted = (p: JourneyPlan) => expectation(p, timings[p.index]!, delayMs, firstEmailAt(p)) === "email";
  // Held out (a holdout decision on the profile, no email): asked for each journey without an email, before
  // waiting for missing emails (a held-out one never comes) and again after.
  const held = new Set<number>();
  const findHeld = async () => {
    for (const p of plans) if (!held.has(p.index) && firstEmailAt(p) === null && (await isHeldOut(p.shopper.email))) held.add(p.index);
  };
  await findHeld();
  const missing = () => plans.filter((p) => wanted(p) && firstEmailAt(p) === null && !held.has(p.index));
  for (const deadline = Date.now() + settleMs; missing().length > 0 && Date.now() < deadline; ) await sleep(500);
  await sleep(delayMs + 4_000);
  await findHeld();
  let expected = 0;
  let sent = 0;
  let truePositives = 0;
  let mailedTwice = 0;
  let wrongCart = 0;
  let ambiguous = 0;
  let early = 0;
  for (const plan of plans) {
    const mails = app.mail.to(plan.shopper.email);
    const timing = timings[plan.index]!;
    const expect = expectation(plan, timing, delayMs, firstEmailAt(plan));
    if (mails.length > 1) mailedTwice++;
    const tooEarly = mails.filter((m) => (app.mail.receivedAt(m) ?? 0) < timing.lastCartAt + delayMs - 250).length;
    early += tooEarly;
    if (expect === "ambiguous" && mails.length <= 1) {
      ambiguous++;
      continue;
    }
    if (held.has(plan.index) && mails.length === 0) continue;
    const want = expect === "email";
    if (want) expected++;
    sent += mails.length;
    if (want && mails.length > 0) truePositives++;
    if (want !== mails.length > 0 || mails.length > 1 || tooEarly > 0) {
      const t0 = logs[plan.index]![0]?.sent ?? 0;
      const timeline = [...logs[plan.index]!.map((d) => `${d.topic} ${d.sent - t0}..${d.answered - t0}`), ...mails.map((m) => `email ${(app.mail.receivedAt(m) ?? 0) - t0} ${m.messageId ?? ""}`)];
      failures.push(`journey ${plan.index} ${describe(plan)}: ${mails.length} email(s)${tooEarly ? ` (${tooEarly} before the delay)` : ""}, expected ${want ? 1 : 0} [ms from start: ${timeline.join(", ")}]`);
      failedEmails.push(plan.shopper.email);
    }
    for (const mail of mails) {
      const got = Object.fromEntries(recoveryLines(typeof mail.html === "string" ? mail.html : ""));
      const final = Object.fromEntries((plan.update ?? plan.first).map((l) => [l.variant.id, l.quantity]));
      if (JSON.stringify(sortKeys(got)) !== JSON.stringify(sortKeys(final))) {
        wrongCart++;
        failures.push(`journey ${plan.index} ${describe(plan)}: email shows ${JSON.stringify(got)}, cart ${JSON.stringify(final)}`);
      }
    }
  }
  // Precision: correct emails among all sent (a second email to one shopper counts as wrong).
  const precision = sent === 0 ? 1 : truePositives / sent;
  const recall = expected === 0 ? 1 : truePositives / expected;
  return { journeys: plans.length, heldOut: held.size, revenue: expectedRevenue(plans, timings, firstEmailAt), expected, sent, truePositives, precision, recall, mailedTwice, wrongCart, early, ambiguous, messy: plans.filter((p) => p.messy).length, failures, failedEmails,
    latencyMs: { p50: latencies[Math.floor(latencies.length / 2)] ?? 0, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0, max: latencies.at(-1) ?? 0 } };
}

const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

export function describe(plan: JourneyPlan): string {
  const update = plan.update === null ? "no update" : plan.update.length === 0 ? "emptied" : "updated";
  return `(${update}, ${plan.checkout ? "checkout" : "no checkout"}, ${plan.shopper.consent}, purchase ${plan.purchase}${plan.messy ? ", messy" : ""})`;
}
