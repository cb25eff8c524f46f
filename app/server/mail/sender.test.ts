import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignDecisions, type Db, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { handleCartActivity } from "../campaigns/activity.ts";
import { NO_SENDER_RETRY_MS } from "../campaigns/compose.ts";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";
import { applyShopFacts } from "../shops/shop-facts.ts";
import { resolveSender, senderNotice } from "./sender.ts";
import { smtpForTests } from "./testing-smtp.ts";

const NONE = { fromName: null, fromAddress: null, replyTo: null };

describe("who an email is from", () => {
  it("prefers the shop's sender, then MAIL_FROM, then the store's contact email", () => {
    const facts = { shopName: "Bretter", sender: NONE, mailFrom: undefined, contactEmail: "hallo@bretter.example" };
    expect(resolveSender({ ...facts, sender: { ...NONE, fromAddress: "shop@bretter.example" } })).toMatchObject({ from: { name: "Bretter", address: "shop@bretter.example" }, source: "settings" });
    expect(resolveSender({ ...facts, mailFrom: "Ops <ops@host.example>" })).toMatchObject({ from: { name: "Ops", address: "ops@host.example" }, source: "MAIL_FROM" });
    expect(resolveSender(facts)).toMatchObject({ from: { name: "Bretter", address: "hallo@bretter.example" }, source: "shop_contact_email" });
  });

  it("has no sender rather than no-reply@ the app's host", () => {
    expect(resolveSender({ shopName: "Bretter", sender: NONE, mailFrom: undefined, contactEmail: null })).toMatchObject({ type: "no_sender", message: expect.stringContaining("Set a sender email") });
  });
});

const mailbox = smtpForTests({ maxConnections: 1 });

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;

describeEachDatabase("sending without a sender", (database) => {
  it("records no_sender and sends nothing until the store gives a contact email, then sends from it", async () => {
    const shop = randomShop("sender");
    const profileId = randomUUID();
    const email = `${profileId.slice(0, 8)}@example.com`;
    const db = database().db as Db;
    await db.insert(shops).values({ shop, name: "Bretter" });
    await ensureDefaultCampaign(db, shop);
    const clock = new TestClock(T0);
    const { profiles, deps } = memoryProfiles();
    profiles.set(profileId, testProfile({ shop, profileId, email }));
    const ctx = testSchedulerContext(database(), deps, clock, shop, { mailFrom: undefined, appUrl: "http://127.0.0.1:3000" });
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop, profileId, kind: "cart_changed", at: T0, added: true, lineCount: 1 } as CartActivity]));
    expect(await senderNotice(db, shop, undefined)).toContain("Set a sender email");

    clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(ctx, mailbox.smtp)).toBe(0);
    const decisions = await db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop)).orderBy(asc(campaignDecisions.id));
    expect(decisions.map((d) => [d.outcome, d.reason])).toEqual([["deferred", "no_sender"]]);
    expect(decisions[0]?.detail).toContain("Set a sender email");

    await applyShopFacts(db, shop, {
      name: "Bretter", contactEmail: "hallo@bretter.example", currency: "EUR", timezone: "Europe/Berlin",
      moneyFormat: "{{amount_with_comma_separator}} €", moneyWithCurrencyFormat: null, asOf: clock.now(),
    });
    expect(await senderNotice(db, shop, undefined)).toBeNull();
    clock.advance(NO_SENDER_RETRY_MS);
    expect(await drain(ctx, mailbox.smtp)).toBe(1);
    const mail = mailbox.sink.messages.find((m) => JSON.stringify(m.to).includes(email));
    expect(mail?.from?.value[0]).toEqual({ name: "Bretter", address: "hallo@bretter.example" });
    expect(mail?.html).toContain("29,99 €");
  });
});
