import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import { type Db, campaignDecisions, campaignEpisodes, campaignSends } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { decideDue } from "../campaigns/decide-due.ts";
import { claimRecoverable, deliver } from "../campaigns/deliver.ts";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { TestClock, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";
import { smtpForTests } from "../mail/testing-smtp.ts";

const T0 = new Date("2026-03-02T12:00:00Z");
const LEASE_MS = 60_000;
const mailbox = smtpForTests({ parse: false });

// Worker A decides a send and then stalls (its clock stands still: to it the lease looks fresh)
// past its lease; worker B takes the send over. Whichever of them reaches the relay first, the
// shopper gets the email once.
describeEachDatabase("a worker overtaken after its lease ran out", (database) => {
  async function leasedSend() {
    const shop = randomShop("fence");
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const profileId = randomUUID();
    const { profiles, deps } = memoryProfiles();
    profiles.set(profileId, testProfile({ shop, profileId, email: `${profileId.slice(0, 8)}@example.com` }));
    const started = new Date(T0.getTime() - 30 * 60_000);
    await db.insert(campaignEpisodes).values({ id: randomUUID(), shop, campaignId: campaign.id, profileId, status: "open", startedAt: started, lastChangeAt: started, nextStep: 0, dueAt: T0 });
    const stalled = testSchedulerContext(database(), deps, new TestClock(T0), shop, { leaseMs: LEASE_MS });
    const later = testSchedulerContext(database(), deps, new TestClock(new Date(T0.getTime() + LEASE_MS + 1000)), shop, { leaseMs: LEASE_MS });
    const { sends } = await decideDue(stalled, 10);
    expect(sends).toHaveLength(1);
    const messageId = (sends[0]!.message as { messageId: string }).messageId;
    const delivered = () => mailbox.sink.accepted.filter((a) => a.messageId === messageId).length;
    const rows = async () => ({
      sends: await db.select({ status: campaignSends.status }).from(campaignSends).where(eq(campaignSends.shop, shop)),
      sent: await db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.outcome, "sent"))),
    });
    return { stalled, later, send: sends[0]!, delivered, rows };
  }

  it("stands down when another worker re-claimed the send before its handoff", async () => {
    const s = await leasedSend();
    const [taken] = await claimRecoverable(s.later, 10);
    expect(taken?.id).toBe(s.send.id);
    await deliver(s.stalled, mailbox.smtp, s.send);
    expect(s.delivered()).toBe(0);
    await deliver(s.later, mailbox.smtp, taken!, { resumed: true });
    expect(s.delivered()).toBe(1);
    const { sends, sent } = await s.rows();
    expect(sends.map((r) => r.status)).toEqual(["sent"]);
    expect(sent).toHaveLength(1);
  });

  it("stands down when the other worker already sent it", async () => {
    const s = await leasedSend();
    const [taken] = await claimRecoverable(s.later, 10);
    await deliver(s.later, mailbox.smtp, taken!, { resumed: true });
    await deliver(s.stalled, mailbox.smtp, s.send);
    expect(s.delivered()).toBe(1);
    expect((await s.rows()).sent).toHaveLength(1);
  });
});
