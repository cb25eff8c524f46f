import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, shops, webhookInbox } from "@cartback/db";
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
    profiles.set(profileId, testProfile({ shop, profileId, email: `${profileId.slice(0, 8)}@example.com` }));
    const ctx = testSchedulerContext(database(), deps, new TestClock(new Date()), shop);
    const activity = { shop, profileId, kind: "cart_changed", at: started, added: true, lineCount: 1 } as CartActivity;
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [activity]));
    const inbox = (receivedAgoMs: number, attempts = 0) =>
      db.insert(webhookInbox).values({ shop, webhookId: randomUUID(), topic: "orders/create", body: "{}", receivedAt: new Date(Date.now() - receivedAgoMs), attempts });
    return { shop, db, ctx, inbox };
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
});
