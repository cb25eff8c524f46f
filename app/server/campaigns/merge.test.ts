import { type Db, campaignEpisodes, campaignSends, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { configureIngest, ingest } from "../ingest/service.ts";
import { smtpForTests } from "../mail/testing-smtp.ts";
import { createTestRuntime } from "../testing.ts";
import { handleCartActivity } from "./activity.ts";
import { decideDue } from "./decide-due.ts";
import { defaultDeps } from "./deps.ts";
import { ensureDefaultCampaign, updateCampaign } from "./repository.ts";
import { TestClock, drain, testSchedulerContext } from "./testing.ts";

// Two devices of one shopper, stitched by email only after one of them already had its
// episode decided: the real ingest, the real read model, the scheduler and an SMTP server.
const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN);

const mailbox = smtpForTests({ parse: false, maxConnections: 1 });

describeEachDatabase("campaign episodes across late profile merges", (database) => {
  async function setup(steps: number[] = [15 * MIN]) {
    const shop = randomShop("merge");
    const db = database().db as Db;
    await db.insert(shops).values({ shop, timezone: "UTC", currency: "USD" });
    const campaign = await ensureDefaultCampaign(db, shop);
    if (steps.length > 1) await updateCampaign(db, shop, campaign.id, { steps: steps.map((delayMs) => ({ delayMs, template: null })) });
    const runtime = createTestRuntime(database());
    configureIngest(runtime, { onActivity: handleCartActivity });
    const clock = new TestClock(new Date(T0));
    const ctx = testSchedulerContext(database(), defaultDeps(), clock, shop, { appSecret: runtime.appSecret });
    const email = `${shop.slice(6, 18)}@example.com`;
    let n = 0;
    const device = (d: number) => ({ clientId: `browser-${d}`, cartToken: `c1-device-${d}` });
    /** Ingests these events at minute `m` (clock set there) and runs the worker to completion. */
    const tick = async (m: number, events: Record<string, unknown>[] = []) => {
      clock.set(at(m));
      if (events.length > 0) {
        const items = events.map((e) => ({ id: `e${n++}`, occurredAt: at(m).toISOString(), ...e }));
        const outcome = await ingest(runtime, { shop, source: "api", items, receivedAt: at(m) });
        if (outcome.type !== "ok" || outcome.summary.rejected > 0) throw new Error(JSON.stringify(outcome));
      }
      await drain(ctx, mailbox.smtp);
    };
    const add = (d: number, variantId: string) => ({ name: "Added to Cart", ...device(d), variantId, quantity: 1, priceMinor: 2500, currency: "USD" });
    const identify = (d: number) => ({ name: "Identify", ...device(d), email, marketingConsent: "subscribed", via: "form" });
    const sent = async () => (await db.select().from(campaignSends).where(eq(campaignSends.shop, shop))).filter((r) => r.status === "sent");
    const episodes = () => db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop)).orderBy(asc(campaignEpisodes.startedAt));
    const decideOnly = async (m: number) => {
      clock.set(at(m));
      return decideDue(ctx, 10);
    };
    return { tick, add, identify, sent, episodes, decideOnly };
  }

  it("does not email the second device's cart again when it is stitched after the first device's email went out", async () => {
    const s = await setup();
    await s.tick(0, [s.identify(0), s.add(0, "1001")]);
    await s.tick(5, [s.add(1, "1002")]); // anonymous: its own profile and episode, due at 20
    await s.tick(15);
    expect(await s.sent()).toHaveLength(1);
    await s.tick(17, [s.identify(1)]); // the same shopper: the step already went out
    for (const m of [20, 25, 60]) await s.tick(m);
    expect((await s.sent()).map((r) => r.step)).toEqual([0]);
    expect((await s.episodes()).map((e) => [e.status, e.closedReason])).toEqual([["closed", "completed"], ["closed", "merged"]]);
  });

  it("does not email again when the device that already had its email is the one stitched in later", async () => {
    const s = await setup();
    await s.tick(0, [s.add(1, "1002")]); // anonymous first: the older profile survives the merge
    await s.tick(3, [s.identify(0), s.add(0, "1001")]);
    await s.tick(15); // device 1 due, no email: waiting
    await s.tick(18); // device 0 due: sent
    expect(await s.sent()).toHaveLength(1);
    await s.tick(30, [s.identify(1)]);
    for (const m of [31, 60]) await s.tick(m);
    expect(await s.sent()).toHaveLength(1);
  });

  it("sends once, at the combined last change + delay, when a waiting device is stitched into an identified one", async () => {
    const s = await setup();
    await s.tick(0, [s.add(1, "1002")]); // anonymous, older: due at 15, parked for want of an email
    await s.tick(10, [s.identify(0), s.add(0, "1001")]); // due at 25
    await s.tick(15);
    await s.tick(16, [s.identify(1)]);
    await s.tick(24);
    expect(await s.sent()).toHaveLength(0);
    await s.tick(25);
    expect(await s.sent()).toHaveLength(1);
    await s.tick(60);
    expect(await s.sent()).toHaveLength(1);
  });

  it("keeps one email per step when the devices' episodes had reached different steps", async () => {
    const s = await setup([15 * MIN, 60 * MIN]);
    await s.tick(0, [s.add(1, "1002")]); // older anonymous profile, episode waiting at step 0
    await s.tick(3, [s.identify(0), s.add(0, "1001")]);
    await s.tick(18); // device 0: step 0 sent
    await s.tick(20, [s.identify(1)]);
    for (const m of [21, 62, 63, 90, 120]) await s.tick(m);
    expect((await s.sent()).map((r) => r.step).sort()).toEqual([0, 1]);
  });

  it("counts a send decided for the merged-away device but not delivered yet", async () => {
    const s = await setup();
    await s.tick(0, [s.add(0, "1001")]); // anonymous, older: survives the merge
    await s.tick(2, [s.identify(1), s.add(1, "1002")]);
    await s.tick(15); // device 0: parked, no email
    expect((await s.decideOnly(17)).sends).toHaveLength(1); // device 1's send leased; its worker dies
    await s.tick(18, [s.identify(0)]);
    for (const m of [19, 20, 30, 60]) await s.tick(m); // the lease (1 min) runs out; it is resumed
    expect(await s.sent()).toHaveLength(1);
    expect((await s.episodes()).map((e) => e.closedReason)).toEqual(["merged", "completed"]);
  });
});
