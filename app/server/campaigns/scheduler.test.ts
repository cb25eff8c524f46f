import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CartActivity } from "@cartback/core/profile/activity";
import { testProfile } from "@cartback/core/campaign/testing";
import { campaignDecisions, campaignEpisodes, campaignSends, type Db, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createOutboxTransport } from "../mail/outbox.ts";
import { smtpForTests } from "../mail/testing-smtp.ts";
import { verifyUnsubscribeToken } from "../mail/unsubscribe.ts";
import { clickTargets } from "../revenue/testing.ts";
import { handleCartActivity } from "./activity.ts";
import { ensureDefaultCampaign, updateCampaign } from "./repository.ts";
import { updateSender } from "./shop-context.ts";
import { isSuppressed } from "./suppressions.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type ActivityInput = DistributiveOmit<CartActivity, "shop" | "profileId">;
const MIN = 60_000;

const mailbox = smtpForTests({ maxConnections: 2 });

describeEachDatabase("campaign scheduler", (database) => {
  async function setup(profileOverrides: Parameters<typeof testProfile>[0] = {}) {
    const shop = randomShop("camp");
    const profileId = randomUUID();
    const email = `${profileId.slice(0, 8)}@example.com`;
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const clock = new TestClock(T0);
    const { profiles, deps } = memoryProfiles();
    profiles.set(profileId, testProfile({ shop, profileId, email, ...profileOverrides }));
    const ctx = testSchedulerContext(database(), deps, clock, shop);
    const act = (activity: ActivityInput) =>
      db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop, profileId, ...activity } as CartActivity]));
    const received = () => mailbox.sink.messages.filter((m) => m.to && JSON.stringify(m.to).includes(email));
    const decisions = () => db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, shop))).orderBy(asc(campaignDecisions.id));
    return { shop, profileId, email, db, campaign, clock, profiles, ctx, act, received, decisions };
  }

  it("sends one email at last change + 15 min with unsubscribe headers and a signed token", async () => {
    const s = await setup();
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 14 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    s.clock.advance(60 * MIN);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    const [mail] = s.received();
    expect(s.received()).toHaveLength(1);
    expect(mail!.messageId).toMatch(/@cartback\.test>?$/);
    const header = (key: string) => mail!.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, " ") ?? "";
    expect(header("list-unsubscribe")).toMatch(/^<https:\/\/cartback\.test\/unsubscribe\?t=[^>]+>, <mailto:carts@cartback\.test\?subject=[^>]+>$/);
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const token = decodeURIComponent(/t=([^>&]+)>/.exec(header("list-unsubscribe"))![1]!);
    expect(verifyUnsubscribeToken("test-app-secret", token)).toEqual({ type: "ok", shop: s.shop, email: s.email });
    expect(clickTargets(String(mail!.html))[0]).toContain(`https://${s.shop}/cart/111:1`);
    expect((await s.decisions()).map((d) => d.outcome)).toEqual(["sent"]);
  });

  it("sends from the shop's own sender settings, and names a bad one", async () => {
    const s = await setup();
    await s.db.insert(shops).values({ shop: s.shop, name: "Hades Boards" });
    expect(await updateSender(s.db, s.shop, { fromAddress: "not an address" })).toMatchObject({ type: "invalid", field: "fromAddress" });
    expect(await updateSender(s.db, s.shop, { fromName: "Hades Boards", fromAddress: "hello@hades.example", replyTo: "care@hades.example" })).toMatchObject({ type: "ok" });
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    const [mail] = s.received();
    expect(mail!.from?.value[0]).toEqual({ name: "Hades Boards", address: "hello@hades.example" });
    expect(mail!.replyTo?.value[0]?.address).toBe("care@hades.example");
  });

  it("debounces: every cart change pushes the send to last change + delay", async () => {
    const s = await setup();
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    await s.act({ kind: "cart_changed", at: new Date(T0.getTime() + 10 * MIN), added: true, lineCount: 2 });
    s.clock.set(new Date(T0.getTime() + 20 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    s.clock.set(new Date(T0.getTime() + 25 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
  });

  it("never emails after Charged", async () => {
    const s = await setup();
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    await s.act({ kind: "charged", at: new Date(T0.getTime() + 5 * MIN), orderId: "9" });
    s.clock.set(new Date(T0.getTime() + 30 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    const [episode] = await s.db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, s.shop));
    expect(episode).toMatchObject({ status: "closed", closedReason: "purchased" });
  });

  it("re-checks the purchase at send time even when the Charged activity was missed", async () => {
    const s = await setup();
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.profiles.get(s.profileId)!.charges.push({ orderId: "1", at: new Date(T0.getTime() + MIN), cartToken: null, checkoutToken: null });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    expect(await s.decisions()).toMatchObject([{ outcome: "skipped", reason: "purchased" }]);
  });

  it("sends late when the email becomes known after the due time (late identity)", async () => {
    const s = await setup({ email: null });
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    s.profiles.get(s.profileId)!.email = s.email;
    await s.act({ kind: "identified", at: new Date(T0.getTime() + 40 * MIN), identifier: "email" });
    s.clock.set(new Date(T0.getTime() + 41 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect((await s.decisions()).map((d) => [d.outcome, d.reason])).toEqual([["waiting", "no_email"], ["sent", null]]);
  });

  it("ends a waiting episode at its max age so a later cart starts a new one", async () => {
    const s = await setup({ email: null });
    await updateCampaign(s.db, s.shop, s.campaign.id, { settings: { maxAgeMs: 60 * MIN } });
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    await drain(s.ctx, mailbox.smtp);
    s.clock.set(new Date(T0.getTime() + 61 * MIN));
    await drain(s.ctx, mailbox.smtp);
    expect((await s.decisions()).map((d) => d.reason)).toEqual(["no_email", "max_age"]);
  });

  it("defers through quiet hours and sends at their end", async () => {
    const s = await setup();
    await updateCampaign(s.db, s.shop, s.campaign.id, { settings: { quietHours: { start: "11:00", end: "13:00", zone: "shop" } } });
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    s.clock.set(new Date("2026-03-02T13:00:00Z"));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect((await s.decisions()).map((d) => d.outcome)).toEqual(["deferred", "sent"]);
  });

  it("retries a 4xx with backoff and suppresses a 5xx hard bounce", async () => {
    const s = await setup();
    let code: number | null = 451;
    mailbox.sink.rejectRecipient = (address) => (address === s.email ? code : null);
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    await drain(s.ctx, mailbox.smtp);
    const [first] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(first).toMatchObject({ status: "retry", attempts: 1 });
    s.clock.advance(29_000);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    code = 550;
    s.clock.advance(2_000);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    const [failed] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(failed).toMatchObject({ status: "failed", attempts: 2 });
    expect(await isSuppressed(s.db, s.shop, s.email.toUpperCase())).toBe(true);
    expect((await s.decisions()).map((d) => [d.outcome, d.reason])).toEqual([["retrying", "smtp_451"], ["failed", "smtp_550"]]);
    mailbox.sink.rejectRecipient = () => null;
    expect(s.received()).toHaveLength(0);
  });

  it("does not retry a 4xx once the shopper has bought in the meantime", async () => {
    const s = await setup();
    mailbox.sink.rejectRecipient = (address) => (address === s.email ? 421 : null);
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    await drain(s.ctx, mailbox.smtp);
    mailbox.sink.rejectRecipient = () => null;
    s.profiles.get(s.profileId)!.charges.push({ orderId: "7", at: new Date(T0.getTime() + 16 * MIN), cartToken: null, checkoutToken: null });
    s.clock.advance(31_000);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect(s.received()).toHaveLength(0);
    const [row] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(row).toMatchObject({ status: "cancelled" });
    expect((await s.decisions()).map((d) => [d.outcome, d.reason])).toEqual([["retrying", "smtp_421"], ["skipped", "purchased"]]);
  });

  it("does not retry a 4xx once the shopper has withdrawn marketing consent in the meantime", async () => {
    const s = await setup();
    mailbox.sink.rejectRecipient = (address) => (address === s.email ? 421 : null);
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    await drain(s.ctx, mailbox.smtp);
    mailbox.sink.rejectRecipient = () => null;
    // Shopify says so (customer record, checkout): no unsubscribe link was used, nothing is suppressed.
    s.profiles.get(s.profileId)!.marketingConsent = "unsubscribed";
    s.clock.advance(31_000);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect(s.received()).toHaveLength(0);
    const [row] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(row).toMatchObject({ status: "cancelled" });
    expect((await s.decisions()).map((d) => [d.outcome, d.reason])).toEqual([["retrying", "smtp_421"], ["skipped", "no_consent"]]);
  });

  it("resumes a send whose worker died after claiming it, once its lease ends", async () => {
    const s = await setup();
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    const { decideDue } = await import("./decide-due.ts");
    const claimed = await decideDue(s.ctx, 10); // the worker "dies" here, before delivering
    expect(claimed.sends).toHaveLength(1);
    s.clock.advance(30_000);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(0);
    s.clock.advance(31_000);
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
    expect(s.received()).toHaveLength(1);
  });

  it("moves episodes to the surviving profile on merge, keeping the earliest", async () => {
    const s = await setup();
    const other = randomUUID();
    await s.act({ kind: "cart_changed", at: new Date(T0.getTime() + 5 * MIN), added: true, lineCount: 1 });
    await s.db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ kind: "cart_changed", shop: s.shop, profileId: other, at: T0, added: true, lineCount: 1 }]));
    await s.db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ kind: "merged", shop: s.shop, profileId: s.profileId, mergedIds: [other], at: new Date(T0.getTime() + 6 * MIN) }]));
    const rows = await s.db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, s.shop)).orderBy(asc(campaignEpisodes.startedAt));
    expect(rows.map((r) => [r.profileId, r.status, r.closedReason])).toEqual([[s.profileId, "open", null], [s.profileId, "closed", "merged"]]);
    expect(rows[0]!.dueAt).toEqual(new Date(T0.getTime() + 20 * MIN));
    s.clock.set(new Date(T0.getTime() + 20 * MIN));
    expect(await drain(s.ctx, mailbox.smtp)).toBe(1);
  });

  it("stores the message as .eml and in the database when no SMTP is configured", async () => {
    const s = await setup();
    const dir = await mkdtemp(path.join(tmpdir(), "cartback-outbox-"));
    await s.act({ kind: "cart_changed", at: T0, added: true, lineCount: 1 });
    s.clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(s.ctx, createOutboxTransport(dir))).toBe(1);
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    const eml = await readFile(path.join(dir, files[0]!), "utf8");
    expect(eml).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const [row] = await s.db.select().from(campaignSends).where(eq(campaignSends.shop, s.shop));
    expect(row).toMatchObject({ status: "sent", transport: "outbox", raw: eml });
  });
});
