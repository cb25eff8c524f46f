import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, campaignDecisions, campaignSends } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "../campaigns/activity.ts";
import { setCrossCampaignCap } from "../campaigns/cross-campaign.ts";
import { decideDue } from "../campaigns/decide-due.ts";
import { createCampaign } from "../campaigns/lifecycle.ts";
import { ensureDefaultCampaign, updateCampaign } from "../campaigns/repository.ts";
import { TestClock, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;
const SHOPPERS = 20;

// A campaign's own frequency cap counts every email to the shopper. With the cross-campaign
// rule off no lock used to be taken, so two workers could each read "no email yet" for one
// shopper and both send; the cap now takes the same per-profile lock as the cross-campaign rule.
describeEachDatabase("frequency caps under two workers", (database) => {
  it("two workers deciding two capped campaigns' episodes of the same shoppers at once send one email per shopper", { timeout: 120_000 }, async () => {
    const shop = randomShop("capr");
    const db = database().db as Db;
    const cap = { frequencyCap: { count: 1, windowMs: 60 * MIN } };
    const first = await ensureDefaultCampaign(db, shop);
    await updateCampaign(db, shop, first.id, { settings: cap });
    const created = await createCampaign(db, shop, "Second");
    if (created.type !== "ok") throw new Error("not created");
    await updateCampaign(db, shop, created.campaign.id, { active: true, steps: [{ delayMs: 15 * MIN }], settings: cap });
    await setCrossCampaignCap(db, shop, "off");
    const { profiles, deps } = memoryProfiles();
    const clock = new TestClock(T0);
    const ids = Array.from({ length: SHOPPERS }, () => randomUUID());
    for (const [i, id] of ids.entries()) {
      profiles.set(id, testProfile({ shop, profileId: id, email: `${id.slice(0, 8)}@example.com` }));
      const at = new Date(T0.getTime() + i * 1000);
      await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop, profileId: id, kind: "cart_changed", at, added: true, lineCount: 1 } as CartActivity]));
    }
    clock.set(new Date(T0.getTime() + 25 * MIN));
    const ctx = testSchedulerContext(database(), deps, clock, shop);
    // One episode a round each: SKIP LOCKED hands a shopper's other episode to the other worker.
    const worker = async () => {
      for (;;) {
        const { decided } = await decideDue(ctx, 1);
        if (decided === 0) return;
      }
    };
    await Promise.all([worker(), worker()]);
    const sends = await db.select({ profileId: campaignSends.profileId }).from(campaignSends).where(eq(campaignSends.shop, shop));
    const perProfile = new Map<string, number>();
    for (const send of sends) perProfile.set(send.profileId, (perProfile.get(send.profileId) ?? 0) + 1);
    expect(ids.map((id) => perProfile.get(id) ?? 0)).toEqual(ids.map(() => 1));
    const deferred = await db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.reason, "frequency_cap")));
    expect(deferred).toHaveLength(SHOPPERS);
  });
});
