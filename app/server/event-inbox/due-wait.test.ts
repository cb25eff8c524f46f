import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, eventInbox, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "../campaigns/activity.ts";
import { decideDue } from "../campaigns/decide-due.ts";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { TestClock, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";

const MIN = 60_000;

// Events acknowledged in a burst are applied a moment later: the shopper's checkout or a
// cart change may be among them, so a due step of that shop waits until the drain applied
// what was received before the step came due.
describeEachDatabase("due steps wait for the shop's unapplied storefront events", (database) => {
  async function dueEpisode() {
    const shop = randomShop("events");
    const profileId = randomUUID();
    const db = database().db as Db;
    await db.insert(shops).values({ shop, name: "Event Boards" });
    await ensureDefaultCampaign(db, shop);
    const started = new Date(Date.now() - 20 * MIN);
    const { profiles, deps } = memoryProfiles();
    profiles.set(profileId, testProfile({ shop, profileId, email: `${profileId.slice(0, 8)}@example.com` }));
    const ctx = testSchedulerContext(database(), deps, new TestClock(new Date()), shop);
    const activity = { shop, profileId, kind: "cart_changed", at: started, added: true, lineCount: 1 } as CartActivity;
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [activity]));
    const waiting = (receivedAgoMs: number, attempts = 0) =>
      db.insert(eventInbox).values({ shop, eventId: randomUUID(), body: "{}", receivedAt: new Date(Date.now() - receivedAgoMs), attempts });
    return { shop, db, ctx, waiting };
  }

  it("holds a due step while an event received before its due time waits in the inbox, and decides it once applied", async () => {
    const s = await dueEpisode();
    await s.waiting(10 * MIN);
    expect((await decideDue(s.ctx, 10)).decided).toBe(0);
    await s.db.delete(eventInbox).where(eq(eventInbox.shop, s.shop));
    expect((await decideDue(s.ctx, 10)).decided).toBe(1);
  });

  it("is not held by events received after the due time, another shop's, or ones the drain keeps failing on", async () => {
    const s = await dueEpisode();
    await s.waiting(1 * MIN);
    await s.waiting(10 * MIN, 3);
    const other = await dueEpisode();
    await other.waiting(10 * MIN);
    expect((await decideDue(s.ctx, 10)).decided).toBe(1);
    expect((await decideDue(other.ctx, 10)).decided).toBe(0);
  });
});
