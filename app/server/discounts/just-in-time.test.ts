import { randomUUID } from "node:crypto";
import { isHeldOut } from "@cartback/core/campaign/holdout";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignEpisodes, campaignSends, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "../campaigns/activity.ts";
import { ensureDefaultCampaign, updateCampaign } from "../campaigns/repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";
import { loadConfig } from "../config.ts";
import type { OutgoingMessage } from "../mail/message.ts";
import type { MailTransport } from "../mail/transport.ts";
import { createAdminClient } from "../shopify/admin-client.ts";
import { adminDiscountIssuer } from "./issue.ts";

const T0 = new Date("2026-11-02T12:00:00Z");
const TOKEN = "shpat_jit1234567890";

describeEachDatabase("discount codes just in time", (database) => {
  it("creates one unique code per email actually sent and none for held-out episodes", async () => {
    const db = database().db as Db;
    const shop = randomShop("jit");
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, grantedScopes: ["read_products", "write_discounts"] });
    try {
      const campaign = await ensureDefaultCampaign(db, shop);
      const discount = { kind: "fixed_amount", amount: "5.00", expiresAfterDays: 3, oncePerCustomer: false };
      const updated = await updateCampaign(db, shop, campaign.id, { steps: [{ delayMs: 15 * 60_000, discount }], settings: { ...campaign.settings, holdoutPercent: 50 } });
      expect(updated.type).toBe("ok");
      const { profiles, deps } = memoryProfiles();
      const ids = Array.from({ length: 16 }, () => randomUUID());
      for (const id of ids) profiles.set(id, testProfile({ shop, profileId: id, email: `${id.slice(0, 8)}@example.com` }));
      await db.transaction((tx) => handleCartActivity(tx as unknown as Db, ids.map((profileId): CartActivity => ({ kind: "cart_changed", shop, profileId, at: T0, added: true, lineCount: 1 }))));
      const sent: OutgoingMessage[] = [];
      const transport: MailTransport = { kind: "outbox", async send(message) { sent.push(message); return { type: "sent", response: "250 ok", raw: null }; }, async close() {} };
      const config = loadConfig({ NODE_ENV: "test", SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: TOKEN, SHOPIFY_API_SECRET: "s3cret", SHOPIFY_ADMIN_API_ORIGIN: fake.origin });
      const discounts = adminDiscountIssuer(createAdminClient({ config, database: database() }));
      const clock = new TestClock(new Date(T0.getTime() + 16 * 60_000));
      await drain(testSchedulerContext(database(), deps, clock, shop, { discounts }), transport);

      const episodes = await db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop));
      const held = episodes.filter((e) => isHeldOut(shop, campaign.id, e.id, 50));
      expect(held.length).toBeGreaterThan(0);
      expect(sent).toHaveLength(episodes.length - held.length);
      const codes = fake.state.discounts.map((d) => d.code);
      expect(codes).toHaveLength(sent.length);
      expect(new Set(codes).size).toBe(codes.length);
      // Each email carries its own code (the default template names it), and the send row holds it.
      const rows = await db.select().from(campaignSends).where(eq(campaignSends.shop, shop));
      for (const message of sent) {
        const row = rows.find((r) => (r.message as { messageId: string }).messageId === message.messageId)!;
        expect(row.discountCode).not.toBeNull();
        expect(message.html).toContain(`with code <strong>${row.discountCode}</strong>`);
      }
      expect(rows.some((r) => held.some((e) => e.id === r.episodeId))).toBe(false);
      const input = fake.state.discounts[0]!.input as { customerGets: unknown; appliesOncePerCustomer: boolean };
      expect(input.customerGets).toEqual({ value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } });
      expect(input.appliesOncePerCustomer).toBe(false);
    } finally {
      await fake.close();
    }
  });
});
