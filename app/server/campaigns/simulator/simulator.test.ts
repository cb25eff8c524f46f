import type { Db } from "@cartback/db";
import { campaignSends, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { configureIngest, ingest } from "../../ingest/service.ts";
import { smtpForTests } from "../../mail/testing-smtp.ts";
import { action as cartsAction } from "../../../routes/webhooks.carts.ts";
import { action as checkoutsAction } from "../../../routes/webhooks.checkouts.ts";
import { action as ordersAction } from "../../../routes/webhooks.orders.ts";
import { ingestRuntime, webhookRequest } from "../../ingest/testing.ts";
import type { Runtime } from "../../runtime.ts";
import { routeArgs } from "../../testing.ts";
import { handleCartActivity } from "../activity.ts";
import { defaultDeps } from "../deps.ts";
import { ensureDefaultCampaign, updateCampaign } from "../repository.ts";
import { TestClock, drain, testSchedulerContext } from "../testing.ts";
import { type Delivery, type Journey, generateJourney, prng } from "./journeys.ts";
import { expectedEmail } from "./reference.ts";

// CI size; CARTBACK_SIM_JOURNEYS=20000 for a long run. CARTBACK_SIM_SEED replays one.
const JOURNEYS = Number(process.env.CARTBACK_SIM_JOURNEYS ?? 1000);
const SEED = Number(process.env.CARTBACK_SIM_SEED ?? Date.now() % 100_000);
const T0 = Date.UTC(2026, 5, 1, 22, 0, 0);
const TICK_MS = 30_000;
const HORIZON_MS = 9 * 3_600_000;
const START_SPREAD_MS = 3 * 3_600_000;
/** Quiet hours 02:00–04:00 UTC fall inside the run. */
const quiet = (at: number) => {
  const h = new Date(at).getUTCHours();
  return h >= 2 && h < 4;
};

const mailbox = smtpForTests({ parse: false, maxConnections: 4 });

describeEachDatabase("journey simulator", (database) => {
  it(`sends exactly the reference model's emails for ${JOURNEYS} random journeys (seed ${SEED})`, { timeout: 1_200_000 }, async () => {
    const shop = randomShop("sim");
    const db = database().db as Db;
    await db.insert(shops).values({ shop, timezone: "UTC", currency: "USD" });
    const campaign = await ensureDefaultCampaign(db, shop);
    await updateCampaign(db, shop, campaign.id, { settings: { quietHours: { start: "02:00", end: "04:00", zone: "shop" } } });
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleCartActivity });
    const clock = new TestClock(new Date(T0));
    const ctx = testSchedulerContext(database(), defaultDeps(), clock, shop, { appSecret: runtime.appSecret });

    const rand = prng(SEED);
    const journeys: Journey[] = Array.from({ length: JOURNEYS }, (_, i) => generateJourney(i, T0 + Math.floor(rand() * START_SPREAD_MS), rand));
    const deliveries = journeys
      .flatMap((j) => j.events.flatMap((e) => e.deliveries.map((delivery) => ({ delivery, item: { id: e.id, ...e.body } }))))
      .sort((a, b) => a.delivery.at - b.delivery.at);
    const ticks: number[] = [];
    for (let t = T0; t <= T0 + HORIZON_MS; t += TICK_MS) ticks.push(t);

    const before = mailbox.sink.accepted.length;
    let next = 0;
    let webhookDeliveries = 0;
    let webhookRetries = 0;
    for (const tick of ticks) {
      clock.set(new Date(tick));
      // In arrival order: runs of API events go in batches, each webhook through its route.
      let batch: unknown[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const outcome = await ingest(runtime, { shop, source: "api", items: batch, receivedAt: new Date(tick) });
        if (outcome.type !== "ok" || outcome.summary.rejected > 0) throw new Error(`ingest refused: ${JSON.stringify(outcome).slice(0, 500)}`);
        batch = [];
      };
      for (; next < deliveries.length && deliveries[next]!.delivery.at <= tick; next++) {
        const { delivery, item } = deliveries[next]!;
        if (delivery.via === "api") {
          batch.push(item);
          if (batch.length === 200) await flush();
          continue;
        }
        await flush();
        if (await deliverWebhook(runtime, shop, delivery)) webhookRetries++;
        webhookDeliveries++;
      }
      await flush();
      await drain(ctx, mailbox.smtp);
    }

    const rows = await db.select().from(campaignSends).where(eq(campaignSends.shop, shop));
    const accepted = mailbox.sink.accepted.slice(before).map((m) => m.messageId);
    const actual = rows
      .filter((r) => r.status === "sent")
      .map((r) => `${r.toEmail} @ ${new Date(r.sentAt!).toISOString()}`)
      .sort();
    const expected = journeys
      .map((j) => expectedEmail(j, ticks, quiet))
      .filter((e) => e !== null)
      .map((e) => `${e.email} @ ${new Date(e.tick).toISOString()}`)
      .sort();
    const stories = new Map(journeys.map((j) => [j.email, j.story]));
    const diff = [
      ...actual.filter((a) => !expected.includes(a)).map((a) => `unexpected ${a} (${stories.get(a.split(" ")[0]!)})`),
      ...expected.filter((e) => !actual.includes(e)).map((e) => `missing ${e} (${stories.get(e.split(" ")[0]!)})`),
    ];
    expect(diff.slice(0, 20)).toEqual([]);
    expect(actual).toEqual(expected);
    // What the relay received is what the outbox says was sent: once each.
    expect(accepted.length).toBe(rows.filter((r) => r.status === "sent").length);
    expect(new Set(accepted).size).toBe(accepted.length);
    expect(expected.length).toBeGreaterThan(JOURNEYS / 5);
    expect(webhookDeliveries).toBeGreaterThan(JOURNEYS);
    // Shopify's retries of one webhook id were answered without being applied again.
    expect(webhookRetries).toBeGreaterThan(JOURNEYS / 50);
  });
});

const ROUTES = { carts: cartsAction, checkouts: checkoutsAction, orders: ordersAction };

/** A signed webhook through its real route; a retry of a processed webhook id is answered 200 too. */
async function deliverWebhook(runtime: Runtime, shop: string, delivery: Extract<Delivery, { via: "webhook" }>) {
  const { route, raw } = delivery.webhook;
  const request = webhookRequest(route, delivery.topic, shop, raw, { webhookId: delivery.webhookId });
  const response = await ROUTES[route](routeArgs(runtime, request) as never);
  if (response.status !== 200) throw new Error(`${delivery.topic} answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const body = (await response.json()) as { rejected?: number; alreadyProcessed?: boolean };
  if (body.rejected) throw new Error(`${delivery.topic} rejected events: ${JSON.stringify(body).slice(0, 300)}`);
  return body.alreadyProcessed === true;
}
