import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, eventInbox, profileIdentities, shops, webhookInbox } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "./activity.ts";
import { decideDue } from "./decide-due.ts";
import { ensureDefaultCampaign } from "./repository.ts";
import { TestClock, memoryProfiles, testSchedulerContext } from "./testing.ts";

const MIN = 60_000;

// A burst of webhooks is acknowledged before it is applied (app/server/webhook-inbox). The
// shopper's order may be among them: a due step of that shop waits until the drain applied
// what was received before it came due.
describeEachDatabase("due steps wait for the shop's unapplied webhooks", (database) => {
  async function dueEpisode() {
    const shop = randomShop("inbox");
    const profileId = randomUUID();
    const db = database().db as Db;
    await db.insert(shops).values({ shop, name: "Inbox Boards" });
    await ensureDefaultCampaign(db, shop);
    // The episode starts 20 minutes ago on the wall clock, so it is due 5 minutes ago.
    const started = new Date(Date.now() - 20 * MIN);
    const { profiles, deps } = memoryProfiles();
    const email = `${profileId.slice(0, 8)}@example.com`;
    profiles.set(profileId, testProfile({ shop, profileId, email }));
    await db.insert(profileIdentities).values([`email:${email}`, `cartToken:c-${profileId}`].map((key) => ({ shop, key, profileId })));
    const ctx = testSchedulerContext(database(), deps, new TestClock(new Date()), shop);
    const activity = { shop, profileId, kind: "cart_changed", at: started, added: true, lineCount: 1 } as CartActivity;
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [activity]));
    const inbox = (receivedAgoMs: number, attempts = 0, purchaseKeys: string[] | null = null) =>
      db.insert(webhookInbox).values({ shop, webhookId: randomUUID(), topic: "orders/create", body: "{}", receivedAt: new Date(Date.now() - receivedAgoMs), attempts, purchaseKeys });
    const queuedEvent = (purchaseKeys: string[] | null) =>
      db.insert(eventInbox).values({ shop, eventId: randomUUID(), body: "{}", receivedAt: new Date(), purchaseKeys });
    return { shop, db, ctx, inbox, queuedEvent, email, profileId };
  }

  it("holds a due step while a webhook received before its due time waits in the inbox, and decides it once applied", async () => {
    const s = await dueEpisode();
    await s.inbox(10 * MIN);
    expect((await decideDue(s.ctx, 10)).decided).toBe(0);
    await s.db.delete(webhookInbox).where(eq(webhookInbox.shop, s.shop));
    expect((await decideDue(s.ctx, 10)).decided).toBe(1);
  });

  it("is not held by webhooks received after the due time, another shop's, or ones the drain keeps failing on", async () => {
    const s = await dueEpisode();
    await s.inbox(1 * MIN);
    await s.inbox(10 * MIN, 3);
    const other = await dueEpisode();
    await other.inbox(10 * MIN);
    expect((await decideDue(s.ctx, 10)).decided).toBe(1);
    expect((await decideDue(other.ctx, 10)).decided).toBe(0);
  });

  it("holds a due step while this shopper's own purchase waits in either inbox, however late it arrived, and decides it once applied", async () => {
    const s = await dueEpisode();
    // Acknowledged a second ago, long after the due time: the buyer's email is this profile's.
    await s.inbox(1_000, 0, ["email:someone.else@example.com", `email:${s.email}`]);
    expect((await decideDue(s.ctx, 10)).decided).toBe(0);
    await s.db.delete(webhookInbox).where(eq(webhookInbox.shop, s.shop));
    await s.queuedEvent([`cartToken:c-${s.profileId}`]);
    expect((await decideDue(s.ctx, 10)).decided).toBe(0);
    await s.db.delete(eventInbox).where(eq(eventInbox.shop, s.shop));
    expect((await decideDue(s.ctx, 10)).decided).toBe(1);
  });

  it("is not held by another shopper's late purchase, a late delivery without one, or a purchase the drain keeps failing on", async () => {
    const s = await dueEpisode();
    await s.inbox(1_000, 0, ["email:someone.else@example.com"]);
    await s.inbox(1_000);
    await s.inbox(1_000, 3, [`email:${s.email}`]);
    await s.queuedEvent(["cartToken:another-cart"]);
    await s.queuedEvent(null);
    expect((await decideDue(s.ctx, 10)).decided).toBe(1);
  });
});
