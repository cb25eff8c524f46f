import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, campaignDecisions, campaignSends, eventInbox, profileIdentities, shops, webhookInbox } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "./activity.ts";
import { smtpForTests } from "../mail/testing-smtp.ts";
import { decideDue } from "./decide-due.ts";
import { claimRecoverable, deliver } from "./deliver.ts";
import { ensureDefaultCampaign } from "./repository.ts";
import { TestClock, memoryProfiles, testSchedulerContext } from "./testing.ts";

const MIN = 60_000;
const mailbox = smtpForTests();

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
    const clock = new TestClock(new Date());
    const ctx = testSchedulerContext(database(), deps, clock, shop);
    const activity = { shop, profileId, kind: "cart_changed", at: started, added: true, lineCount: 1 } as CartActivity;
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [activity]));
    const inbox = (receivedAgoMs: number, attempts = 0, purchaseKeys: string[] | null = null) =>
      db.insert(webhookInbox).values({ shop, webhookId: randomUUID(), topic: "orders/create", body: "{}", receivedAt: new Date(Date.now() - receivedAgoMs), attempts, purchaseKeys });
    const queuedEvent = (purchaseKeys: string[] | null) =>
      db.insert(eventInbox).values({ shop, eventId: randomUUID(), body: "{}", receivedAt: new Date(), purchaseKeys });
    return { shop, db, ctx, clock, inbox, queuedEvent, email, profileId, profiles };
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

  it("checks a send handed over seconds after its decision again: a queued purchase postpones it, and once applied it is cancelled, never sent", async () => {
    const s = await dueEpisode();
    const { sends } = await decideDue(s.ctx, 10);
    expect(sends).toHaveLength(1);
    // The worker reaches the handoff 3 s later (a loaded machine); the order came in meanwhile.
    s.clock.set(new Date(s.clock.now().getTime() + 3_000));
    await s.inbox(1_000, 0, [`email:${s.email}`]);
    await deliver(s.ctx, mailbox.smtp, sends[0]!);
    const [postponed] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(postponed).toMatchObject({ status: "retry", attempts: 0 });
    // The drain applies the order: the profile has bought, the row is gone.
    const profile = s.profiles.get(s.profileId)!;
    s.profiles.set(s.profileId, { ...profile, charges: [{ orderId: "9001", at: s.clock.now(), cartToken: null, checkoutToken: null }] });
    await s.db.delete(webhookInbox).where(eq(webhookInbox.shop, s.shop));
    s.clock.set(new Date(s.clock.now().getTime() + 6_000));
    const resumed = await claimRecoverable(s.ctx, 10);
    expect(resumed).toHaveLength(1);
    await deliver(s.ctx, mailbox.smtp, resumed[0]!, { resumed: true });
    const [send] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(send?.status).toBe("cancelled");
    const decisions = await s.db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, s.shop), eq(campaignDecisions.profileId, s.profileId)));
    expect(decisions.map((d) => [d.outcome, d.reason])).toEqual(expect.arrayContaining([["deferred", "purchase_queued"], ["skipped", "purchased"]]));
    expect(mailbox.sink.messages.filter((m) => JSON.stringify(m.to).includes(s.email))).toHaveLength(0);
  });
});
