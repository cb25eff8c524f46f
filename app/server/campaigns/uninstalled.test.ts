import { randomUUID } from "node:crypto";
import type { CartActivity } from "@cartback/core/profile/activity";
import { testProfile } from "@cartback/core/campaign/testing";
import { campaignDecisions, campaignEpisodes, campaignSends, type Db, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { smtpForTests } from "../mail/testing-smtp.ts";
import { handleCartActivity } from "./activity.ts";
import { decideDue } from "./decide-due.ts";
import { deliver } from "./deliver.ts";
import { ensureDefaultCampaign } from "./repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;

const mailbox = smtpForTests({ maxConnections: 2 });

describeEachDatabase("an uninstalled shop's sends (app/uninstalled)", (database) => {
  async function setup() {
    const shop = randomShop("gone");
    const profileId = randomUUID();
    const email = `${profileId.slice(0, 8)}@example.com`;
    const db = database().db as Db;
    await db.insert(shops).values({ shop, name: "Gone Boards" });
    await ensureDefaultCampaign(db, shop);
    const clock = new TestClock(T0);
    const { profiles, deps } = memoryProfiles();
    profiles.set(profileId, testProfile({ shop, profileId, email }));
    const ctx = testSchedulerContext(database(), deps, clock, shop);
    const addToCart = (at: Date) =>
      db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop, profileId, kind: "cart_changed", at, added: true, lineCount: 1 } as CartActivity]));
    const setUninstalled = (at: Date | null) => db.update(shops).set({ uninstalledAt: at }).where(eq(shops.shop, shop));
    const received = () => mailbox.sink.messages.filter((m) => JSON.stringify(m.to ?? "").includes(email));
    const decisions = () => db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop)).orderBy(asc(campaignDecisions.id));
    return { shop, db, clock, ctx, addToCart, setUninstalled, received, decisions };
  }

  it("never sends a due email of a shop that uninstalled, and records why", async () => {
    const s = await setup();
    await s.addToCart(T0);
    await s.setUninstalled(new Date(T0.getTime() + 5 * MIN));
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    expect(s.received()).toHaveLength(0);
    expect((await s.decisions()).map((d) => [d.outcome, d.reason])).toEqual([["skipped", "shop_uninstalled"]]);
    const [episode] = await s.db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, s.shop));
    expect(episode).toMatchObject({ status: "closed", closedReason: "shop_uninstalled", dueAt: null });
  });

  it("checks again when handing a send just decided to the transport", async () => {
    const s = await setup();
    await s.addToCart(T0);
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    const { sends } = await decideDue(s.ctx, 10);
    expect(sends).toHaveLength(1);
    // app/uninstalled commits between the decision and the relay.
    await s.setUninstalled(new Date(T0.getTime() + 15 * MIN));
    await deliver(s.ctx, mailbox.smtp, sends[0]!);
    expect(s.received()).toHaveLength(0);
    const [send] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(send).toMatchObject({ status: "cancelled", sentAt: null });
    expect((await s.decisions()).map((d) => [d.outcome, d.reason, d.detail])).toEqual([["skipped", "shop_uninstalled", "checked again before sending"]]);
  });

  it("drops a pending SMTP retry of a shop that uninstalled since", async () => {
    const s = await setup();
    await s.addToCart(T0);
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    const { sends } = await decideDue(s.ctx, 10);
    // The first attempt met a 4xx: the send waits for its retry.
    await s.db.update(campaignSends).set({ status: "retry", attempts: 1, nextAttemptAt: new Date(T0.getTime() + 16 * MIN) }).where(eq(campaignSends.id, sends[0]!.id));
    await s.setUninstalled(new Date(T0.getTime() + 15 * MIN));
    s.clock.set(new Date(T0.getTime() + 17 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect(s.received()).toHaveLength(0);
    const [send] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(send).toMatchObject({ status: "cancelled" });
    expect((await s.decisions()).map((d) => [d.outcome, d.reason])).toEqual([["skipped", "shop_uninstalled"]]);
  });

  it("sends again after a reinstall, for carts abandoned since", async () => {
    const s = await setup();
    await s.setUninstalled(T0);
    await s.setUninstalled(null);
    await s.addToCart(T0);
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect(s.received()).toHaveLength(1);
  });
});
