import { randomUUID } from "node:crypto";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { testProfile } from "@cartback/core/campaign/testing";
import { stepVariant } from "@cartback/core/campaign/variant";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignDecisions, campaignSends, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { createOutboxTransport } from "../mail/outbox.ts";
import { handleCartActivity } from "./activity.ts";
import { ensureDefaultCampaign, updateCampaign } from "./repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;
const B_TEMPLATE = { subject: "B: your cart misses you", preheader: "", html: "<p>{% for item in cart.items %}{{ item.title }} {% endfor %}</p><a href=\"{{ recovery_url }}\">Back</a>" };

describeEachDatabase("A/B variants on the send path", (database) => {
  it("sends variant A at its delay and variant B with its own template at its later delay, recording the variant on send and decision", async () => {
    const shop = randomShop("ab");
    const db = database().db as Db;
    const campaign = await ensureDefaultCampaign(db, shop);
    const saved = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 15 * MIN, variantB: { template: B_TEMPLATE, delayMs: 30 * MIN, percent: 50 } }] });
    expect(saved.type).toBe("ok");
    const { profiles, deps } = memoryProfiles();
    const ids = Array.from({ length: 30 }, () => randomUUID());
    for (const profileId of ids) profiles.set(profileId, testProfile({ shop, profileId, email: `${profileId.slice(0, 8)}@example.com` }));
    await db.transaction((tx) => handleCartActivity(tx as unknown as Db, ids.map((profileId) => ({ kind: "cart_changed", shop, profileId, at: T0, added: true, lineCount: 1 }) as CartActivity)));
    const clock = new TestClock(new Date(T0.getTime() + 15 * MIN));
    const ctx = testSchedulerContext(database(), deps, clock, shop);
    const transport = createOutboxTransport(await mkdtemp(path.join(tmpdir(), "cartback-ab-")));
    const sends = () => db.select().from(campaignSends).where(eq(campaignSends.shop, shop));

    const early = await drain(ctx, transport);
    const afterA = await sends();
    // Every send so far is variant A, and the hash put exactly these episodes in A.
    expect(afterA.every((s) => s.variant === "A" && stepVariant(shop, campaign.id, s.episodeId, 0, saved.type === "ok" ? saved.campaign.steps[0]!.variantB : undefined) === "A")).toBe(true);
    expect(early).toBe(afterA.length);
    expect(early).toBeGreaterThan(0);
    expect(early).toBeLessThan(ids.length);
    // B's episodes waited without a decision.
    expect((await db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop))).every((d) => d.variant === "A")).toBe(true);

    clock.set(new Date(T0.getTime() + 29 * MIN));
    expect(await drain(ctx, transport)).toBe(0);
    clock.set(new Date(T0.getTime() + 30 * MIN));
    expect(await drain(ctx, transport)).toBe(ids.length - early);
    const all = await sends();
    expect(all).toHaveLength(ids.length);
    for (const send of all) {
      const subject = (send.message as { subject?: string }).subject;
      if (send.variant === "B") expect(subject).toBe(B_TEMPLATE.subject);
      else expect(subject).not.toBe(B_TEMPLATE.subject);
    }
    const decisions = await db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop));
    const variantOf = new Map(all.map((s) => [s.episodeId, s.variant]));
    expect(decisions.filter((d) => d.outcome === "sent")).toHaveLength(ids.length);
    expect(decisions.every((d) => d.variant === variantOf.get(d.episodeId))).toBe(true);
  });
});
