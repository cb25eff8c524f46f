import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, campaignDecisions, campaignEpisodes, campaignSends, campaigns } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { smtpForTests } from "../mail/testing-smtp.ts";
import { handleCartActivity } from "./activity.ts";
import { setCrossCampaignCap } from "./cross-campaign.ts";
import { decideDue } from "./decide-due.ts";
import { deliver } from "./deliver.ts";
import { campaignList, createCampaign, deleteCampaign, duplicateCampaign } from "./lifecycle.ts";
import { ensureDefaultCampaign, updateCampaign } from "./repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;
const mailbox = smtpForTests({ maxConnections: 2 });
// The list orders campaigns by creation time, which PGlite keeps to the millisecond: campaigns
// created back to back in a warm process can share one, and then list in either order. A merchant
// never creates two within a millisecond; the tests leave a moment between them too.
const aMomentLater = () => new Promise((resolve) => setTimeout(resolve, 2));

describeEachDatabase("several campaigns per shop", (database) => {
  /** A shop with the default campaign and a second one (both active, one step at 15 and 20 min), and `n` shoppers. */
  async function setup(n = 1) {
    const shop = randomShop("multi");
    const db = database().db as Db;
    const first = await ensureDefaultCampaign(db, shop);
    await aMomentLater();
    const created = await createCampaign(db, shop, "Second");
    if (created.type !== "ok") throw new Error("not created");
    await updateCampaign(db, shop, created.campaign.id, { active: true, steps: [{ delayMs: 20 * MIN }] });
    const clock = new TestClock(T0);
    const { profiles, deps } = memoryProfiles();
    const ids = Array.from({ length: n }, () => randomUUID());
    for (const id of ids) profiles.set(id, testProfile({ shop, profileId: id, email: `${id.slice(0, 8)}@example.com` }));
    const ctx = testSchedulerContext(database(), deps, clock, shop);
    const add = (profileId: string, at = T0) =>
      db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop, profileId, kind: "cart_changed", at, added: true, lineCount: 1 } as CartActivity]));
    const sends = () => db.select().from(campaignSends).where(eq(campaignSends.shop, shop));
    const decisions = () => db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop)).orderBy(asc(campaignDecisions.id));
    const episodes = () => db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop));
    return { shop, db, first, second: created.campaign, clock, ids, ctx, add, sends, decisions, episodes };
  }

  it("opens an episode for every active campaign, none for a paused or deleted one", async () => {
    const s = await setup(3);
    await aMomentLater();
    const paused = await createCampaign(s.db, s.shop, "Paused");
    const doomed = await duplicateCampaign(s.db, s.shop, s.second.id);
    if (paused.type !== "ok" || doomed.type !== "ok") throw new Error("not created");
    expect(doomed.campaign).toMatchObject({ name: "Second (copy)", active: false, steps: [{ delayMs: 20 * MIN }] });
    await updateCampaign(s.db, s.shop, doomed.campaign.id, { active: true });
    await deleteCampaign(s.db, s.shop, doomed.campaign.id);
    await s.add(s.ids[0]!);
    const opened = (await s.episodes()).map((e) => e.campaignId).sort();
    expect(opened).toEqual([s.first.id, s.second.id].sort());
    expect((await campaignList(s.db, s.shop)).map((i) => i.campaign.name)).toEqual(["Abandoned cart", "Second", "Paused"]);
  });

  it("one abandoned cart, two active campaigns: one email; the other campaign's episode ends cross_campaign_cap", async () => {
    const s = await setup();
    await s.add(s.ids[0]!);
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    s.clock.set(new Date(T0.getTime() + 20 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    const sends = await s.sends();
    expect(sends.map((x) => x.campaignId)).toEqual([s.first.id]);
    const skipped = (await s.decisions()).filter((d) => d.outcome === "skipped");
    expect(skipped).toMatchObject([{ campaignId: s.second.id, reason: "cross_campaign_cap" }]);
    expect((await s.episodes()).find((e) => e.campaignId === s.second.id)).toMatchObject({ status: "closed", closedReason: "cross_campaign_cap" });
    expect((await campaignList(s.db, s.shop, new Date(T0.getTime() + 30 * MIN))).map((i) => i.sent30d)).toEqual([1, 0]);
  });

  it("both due in one batch: still one email", async () => {
    const s = await setup();
    await s.add(s.ids[0]!);
    s.clock.set(new Date(T0.getTime() + 25 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect(await s.sends()).toHaveLength(1);
  });

  it("with the cross-campaign cap off, each campaign emails; a frequency cap then defers the second to when the cap allows", async () => {
    const s = await setup();
    await setCrossCampaignCap(s.db, s.shop, "off");
    await updateCampaign(s.db, s.shop, s.second.id, { settings: { frequencyCap: { count: 1, windowMs: 60 * MIN } } });
    await s.add(s.ids[0]!);
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    s.clock.set(new Date(T0.getTime() + 20 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    const deferred = (await s.decisions()).find((d) => d.outcome === "deferred");
    expect(deferred).toMatchObject({ campaignId: s.second.id, reason: "frequency_cap", until: new Date(T0.getTime() + 75 * MIN) });
    s.clock.set(new Date(T0.getTime() + 75 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect((await s.sends()).map((x) => x.campaignId).sort()).toEqual([s.first.id, s.second.id].sort());
  });

  it("two workers deciding the two campaigns' episodes of the same shoppers at once send one email per shopper", { timeout: 120_000 }, async () => {
    const s = await setup(20);
    // Same delay, one shopper a second: each shopper's two episodes are due together, next to each other.
    await updateCampaign(s.db, s.shop, s.second.id, { steps: [{ delayMs: 15 * MIN }] });
    for (const [i, id] of s.ids.entries()) await s.add(id, new Date(T0.getTime() + i * 1000));
    s.clock.set(new Date(T0.getTime() + 25 * MIN));
    // Each worker claims one episode a round; SKIP LOCKED hands the other campaign's episode to the other worker.
    const worker = async () => {
      for (;;) {
        const { decided, sends } = await decideDue(s.ctx, 1);
        for (const send of sends) await deliver(s.ctx, mailbox.smtp, send);
        if (decided === 0) return;
      }
    };
    await Promise.all([worker(), worker()]);
    const sends = await s.sends();
    const perProfile = new Map<string, number>();
    for (const send of sends) perProfile.set(send.profileId, (perProfile.get(send.profileId) ?? 0) + 1);
    expect([...perProfile.values()]).toEqual(s.ids.map(() => 1));
    expect(perProfile.size).toBe(20);
    expect((await s.decisions()).filter((d) => d.reason === "cross_campaign_cap")).toHaveLength(20);
  });

  it("deleting a campaign ends its open episodes with a reason and keeps its row and history", async () => {
    const s = await setup(2);
    for (const id of s.ids) await s.add(id);
    expect(await deleteCampaign(s.db, s.shop, s.second.id, new Date(T0.getTime() + MIN))).toMatchObject({ type: "ok" });
    expect(await deleteCampaign(s.db, s.shop, s.second.id)).toEqual({ type: "not_found" });
    const ended = (await s.episodes()).filter((e) => e.campaignId === s.second.id);
    expect(ended.map((e) => [e.status, e.closedReason])).toEqual([["closed", "campaign_deleted"], ["closed", "campaign_deleted"]]);
    const closed = (await s.decisions()).filter((d) => d.campaignId === s.second.id);
    expect(closed.map((d) => [d.outcome, d.reason])).toEqual([["closed", "campaign_deleted"], ["closed", "campaign_deleted"]]);
    const [row] = await s.db.select().from(campaigns).where(and(eq(campaigns.shop, s.shop), eq(campaigns.id, s.second.id)));
    expect(row).toMatchObject({ name: "Second", active: false });
    expect(row!.deletedAt).not.toBeNull();
    expect((await campaignList(s.db, s.shop)).map((i) => i.campaign.id)).toEqual([s.first.id]);
    // The remaining campaign still sends.
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(2);
  });

  it("refuses a blank or too long name, naming the field", async () => {
    const shop = randomShop("multi");
    const db = database().db as Db;
    expect(await createCampaign(db, shop, "  ")).toMatchObject({ type: "invalid", field: "name" });
    expect(await createCampaign(db, shop, "x".repeat(121))).toMatchObject({ type: "invalid", field: "name" });
    expect(await duplicateCampaign(db, shop, "nope")).toEqual({ type: "not_found" });
  });
});
