import { type Db, campaignEpisodes, campaignSends, profileEvents, webhookInbox } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { action as cartsAction } from "../../routes/webhooks.carts.ts";
import { action as checkoutsAction } from "../../routes/webhooks.checkouts.ts";
import { action as ordersAction } from "../../routes/webhooks.orders.ts";
import { configureIngest } from "../ingest/service.ts";
import { ingestRuntime, installShop, webhookRequest } from "../ingest/testing.ts";
import { smtpForTests } from "../mail/testing-smtp.ts";
import { routeArgs } from "../testing.ts";
import { handleCartActivity } from "./activity.ts";
import { defaultDeps } from "./deps.ts";
import { ensureDefaultCampaign } from "./repository.ts";
import { type SimLine, type WebhookDelivery, cartWebhook, checkoutWebhook, orderWebhook } from "./simulator/webhooks.ts";
import { TestClock, drain, testSchedulerContext } from "./testing.ts";
import { recoveryLines } from "../../../e2e/support/recovery.ts";

// "Never twice" under Shopify's late and retried webhooks (issue 12): signed carts/*,
// checkouts/* and orders/* deliveries through the real routes, the real scheduler and a real
// SMTP server. The routes stamp receipt with the wall clock, so the story is set two hours
// back: everything delivered "now" reaches Cartback after the email the scheduler sent at
// T0 + 15 min on its own clock.
const SEC = 1000;
const MIN = 60 * SEC;
const DELAY = 15 * MIN;
const T0 = Math.floor((Date.now() - 2 * 60 * MIN) / SEC) * SEC;
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const A: SimLine = { variantId: "1001", quantity: 1 };
const B: SimLine = { variantId: "1002", quantity: 1 };
const ROUTES = { carts: cartsAction, checkouts: checkoutsAction, orders: ordersAction };

const mailbox = smtpForTests({ maxConnections: 1 });

describeEachDatabase("late and retried webhooks after an email", (database) => {
  /** A shopper whose cart (A, snapshot at T0) was mailed at T0 + 15 min. */
  async function mailedShopper() {
    const shop = randomShop("late");
    const db = database().db as Db;
    await installShop(database(), shop);
    await ensureDefaultCampaign(db, shop);
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleCartActivity });
    const clock = new TestClock(new Date(T0));
    const ctx = testSchedulerContext(database(), defaultDeps(), clock, shop, { appSecret: runtime.appSecret });
    const token = `c1-${shop.slice(0, 12)}`;
    const email = `${shop.slice(0, 12)}@example.com`;
    const shopper = { customerId: 7_100_001, email, consent: "subscribed" as const };
    let n = 0;
    const deliver = async (webhook: WebhookDelivery, webhookId = `wh-${shop}-${n++}`, topic = webhook.topics[0]) => {
      const response = await ROUTES[webhook.route](routeArgs(runtime, webhookRequest(webhook.route, topic, shop, webhook.raw, { webhookId })) as never);
      expect(response.status, await response.clone().text()).toBe(200);
      return (await response.json()) as { accepted?: number; duplicates?: number; alreadyProcessed?: boolean };
    };
    const snapshot = (ms: number, lines: SimLine[]) => cartWebhook(token, iso(0), iso(ms), lines);
    const mailsTo = () => mailbox.sink.messages.filter((m) => m.to && JSON.stringify(m.to).includes(email));
    // An applied delivery's inbox row is deleted a moment after its answer (in batches), and a
    // due step waits while its shop has rows received before the due time: wait for the sweep,
    // as the scheduler's next tick would.
    const inboxSwept = async () => {
      for (let i = 0; i < 500; i++) {
        if ((await db.select({ id: webhookInbox.id }).from(webhookInbox).where(eq(webhookInbox.shop, shop))).length === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error("applied webhooks still in the inbox after 5 s");
    };
    const at = async (ms: number) => {
      clock.set(new Date(ms));
      await inboxSwept();
      await drain(ctx, mailbox.smtp);
    };
    const episodes = () => db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop)).orderBy(campaignEpisodes.startedAt);

    const first = snapshot(0, [A]);
    await deliver(first, `wh-${shop}-first`);
    await deliver(checkoutWebhook(`chk-${shop.slice(0, 12)}`, token, iso(SEC), shopper, [A]));
    await at(T0 + DELAY - SEC);
    expect(mailsTo()).toHaveLength(0);
    await at(T0 + DELAY);
    expect(mailsTo()).toHaveLength(1);
    const receivedAt = async (ms: number) => {
      const [row] = await db.select().from(profileEvents).where(and(eq(profileEvents.shop, shop), eq(profileEvents.id, `cart:${token}:${iso(ms)}`)));
      return row!.receivedAt;
    };
    return { shop, db, token, shopper, deliver, snapshot, first, mailsTo, at, episodes, receivedAt };
  }

  it("opens nothing for the same snapshot retried, re-sent under a new id, or an older one delivered after the email", async () => {
    const s = await mailedShopper();
    expect(await s.deliver(s.first, `wh-${s.shop}-first`)).toMatchObject({ alreadyProcessed: true });
    expect(await s.deliver(s.first, `wh-${s.shop}-again`, "carts/create")).toMatchObject({ accepted: 0 });
    expect(await s.deliver(s.snapshot(-30 * SEC, [A]))).toMatchObject({ accepted: 1 });
    expect(await s.deliver(s.snapshot(5 * MIN, [A]))).toMatchObject({ accepted: 1 });
    await s.at(Date.now() + 2 * DELAY);
    expect(s.mailsTo()).toHaveLength(1);
    expect((await s.episodes()).map((e) => e.status)).toEqual(["closed"]);
  });

  it("opens nothing when the cart is emptied and refilled with what the email showed", async () => {
    const s = await mailedShopper();
    await s.deliver(s.snapshot(16 * MIN, []));
    await s.deliver(s.snapshot(17 * MIN, [A]));
    await s.at(Date.now() + 2 * DELAY);
    expect(s.mailsTo()).toHaveLength(1);
    expect((await s.episodes()).map((e) => e.status)).toEqual(["closed"]);
  });

  it("makes a real change from before the email due the delay after it arrived, and mails it once", async () => {
    const s = await mailedShopper();
    // B was added at T0 + 5 min; its snapshot reaches Cartback only now, after the email.
    await s.deliver(s.snapshot(5 * MIN, [A, B]));
    const arrived = (await s.receivedAt(5 * MIN)).getTime();
    const [, late] = await s.episodes();
    expect(late).toMatchObject({ status: "open", startedAt: new Date(T0 + 5 * MIN), dueAt: new Date(arrived + DELAY) });
    await s.at(arrived + DELAY - SEC);
    expect(s.mailsTo()).toHaveLength(1);
    await s.at(arrived + DELAY);
    const mails = s.mailsTo();
    expect(mails).toHaveLength(2);
    expect([...recoveryLines(String(mails[1]!.html))]).toEqual([["1001", 1], ["1002", 1]]);
    const sends = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(sends.map((r) => (r.message as { cart?: unknown }).cart)).toEqual(expect.arrayContaining([[A], [A, B]]));
  });

  it("mails nothing more when a late addition is taken out again before it comes due", async () => {
    const s = await mailedShopper();
    await s.deliver(s.snapshot(5 * MIN, [A, B]));
    await s.deliver(s.snapshot(20 * MIN, [A]));
    await s.at(Date.now() + 2 * DELAY);
    expect(s.mailsTo()).toHaveLength(1);
    expect((await s.episodes()).map((e) => [e.status, e.closedReason])).toEqual([["closed", "completed"], ["closed", "already_emailed"]]);
  });

  it("mails a burst of late snapshots once, a delay after the last arrived, not once each at once", async () => {
    const s = await mailedShopper();
    const C: SimLine = { variantId: "1003", quantity: 1 };
    await s.deliver(s.snapshot(5 * MIN, [A, B]));
    await s.at(Date.now());
    await s.deliver(s.snapshot(6 * MIN, [A, B, C]));
    await s.at(Date.now());
    expect(s.mailsTo()).toHaveLength(1);
    const arrived = (await s.receivedAt(6 * MIN)).getTime();
    expect((await s.episodes())[1]).toMatchObject({ status: "open", dueAt: new Date(arrived + DELAY) });
    await s.at(arrived + 2 * DELAY);
    expect(s.mailsTo()).toHaveLength(2);
  });

  it("sends nothing after a purchase that arrives before a late change comes due", async () => {
    const s = await mailedShopper();
    await s.deliver(s.snapshot(5 * MIN, [A, B]));
    await s.at(Date.now());
    expect(s.mailsTo()).toHaveLength(1);
    await s.deliver(orderWebhook("81001", s.token, `chk-${s.shop.slice(0, 12)}`, iso(20 * MIN), s.shopper));
    await s.at(Date.now() + 2 * DELAY);
    expect(s.mailsTo()).toHaveLength(1);
    // The order empties the purchased cart and ends the late episode: as a purchase.
    expect((await s.episodes()).map((e) => [e.status, e.closedReason])).toEqual([["closed", "completed"], ["closed", "purchased"]]);
  });
});
