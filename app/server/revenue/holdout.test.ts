import { randomUUID } from "node:crypto";
import { isHeldOut } from "@cartback/core/campaign/holdout";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignDecisions, campaignEpisodes, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "../campaigns/activity.ts";
import { ensureDefaultCampaign, updateCampaign } from "../campaigns/repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";
import type { MailTransport } from "../mail/transport.ts";

const T0 = new Date("2026-11-02T12:00:00Z");

describeEachDatabase("holdout through the scheduler", (database) => {
  it("sends no email to the held-out episodes, records a holdout decision for each, and emails the rest", async () => {
    const db = database().db as Db;
    const shop = randomShop("holdout");
    const campaign = await ensureDefaultCampaign(db, shop);
    const updated = await updateCampaign(db, shop, campaign.id, { settings: { ...campaign.settings, holdoutPercent: 50 } });
    expect(updated.type).toBe("ok");
    const { profiles, deps } = memoryProfiles();
    const ids = Array.from({ length: 24 }, () => randomUUID());
    for (const id of ids) profiles.set(id, testProfile({ shop, profileId: id, email: `${id.slice(0, 8)}@example.com` }));
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, ids.map((profileId): CartActivity => ({ kind: "cart_changed", shop, profileId, at: T0, added: true, lineCount: 1 }))));
    const sent: string[] = [];
    const transport: MailTransport = { kind: "outbox", async send(message) { sent.push(message.to); return { type: "sent", response: "250 ok", raw: null }; }, async close() {} };
    const clock = new TestClock(new Date(T0.getTime() + 16 * 60_000));
    await drain(testSchedulerContext(database(), deps, clock, shop), transport);

    const episodes = await db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop));
    const held = episodes.filter((e) => isHeldOut(shop, campaign.id, e.id, 50));
    expect(held.length).toBeGreaterThan(0);
    expect(held.length).toBeLessThan(episodes.length);
    const holdouts = await db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.reason, "holdout")));
    expect(holdouts.map((d) => d.episodeId).sort()).toEqual(held.map((e) => e.id).sort());
    expect(held.every((e) => e.status === "closed" && e.closedReason === "holdout")).toBe(true);
    expect(sent).toHaveLength(episodes.length - held.length);
  });
});
