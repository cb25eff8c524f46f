import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { campaignSends } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { TestClock, memoryProfiles, testSchedulerContext } from "../campaigns/testing.ts";
import { loadConfig } from "../config.ts";
import { createAdminClient } from "../shopify/admin-client.ts";
import { sendDiscountCode } from "./codes.ts";
import { adminDiscountIssuer } from "./issue.ts";
import { settleDiscount } from "./settle.ts";

const TOKEN = "shpat_settle1234567890";
const SCOPES = ["read_products", "read_orders", "write_discounts"];

describeEachDatabase("settling a send's discount code at delivery", (database) => {
  const setup = async (origin: string, shop: string, deadlineMs = 5_000) => {
    const config = loadConfig({ NODE_ENV: "test", SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: TOKEN, SHOPIFY_API_SECRET: "s3cret", SHOPIFY_ADMIN_API_ORIGIN: origin });
    const issuer = adminDiscountIssuer(createAdminClient({ config, database: database() }), deadlineMs);
    const clock = new TestClock(new Date("2026-12-06T10:00:00Z"));
    const ctx = testSchedulerContext(database(), memoryProfiles().deps, clock, shop, { discounts: issuer });
    const id = randomUUID();
    const episodeId = randomUUID();
    const key = `c1:${episodeId}:0`;
    const code = sendDiscountCode(ctx.appSecret, key);
    await database().db.insert(campaignSends).values({
      id, shop, campaignId: "c1", episodeId, profileId: "p1", step: 0, idempotencyKey: key, status: "sending", toEmail: "ana@example.com",
      message: { messageId: `<${id}@cartback.test>`, subject: "Your cart", html: `<p>10% off with code ${code}</p>`, text: `code ${code}`, headers: {} },
      dueAt: clock.now(), createdAt: clock.now(),
      discount: { status: "planned", code, description: "10% off", discount: { kind: "percentage", percent: 10, expiresAfterDays: 7, oncePerCustomer: true }, fallback: { subject: "Your cart", html: "<p>no code</p>", text: "no code" } },
    });
    const row = async () => (await database().db.select().from(campaignSends).where(eq(campaignSends.id, id)))[0]!;
    return { ctx, issuer, code, row };
  };

  it("creates the code once: stored with the send, and a retry of the send asks Shopify nothing", async () => {
    const shop = randomShop("disc");
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, grantedScopes: SCOPES });
    try {
      const s = await setup(fake.origin, shop);
      const first = await settleDiscount(s.ctx, await s.row());
      expect(first.withoutCode).toBeNull();
      expect(first.message.html).toContain(s.code);
      expect((await s.row()).discountCode).toBe(s.code);
      expect(fake.state.discounts.map((d) => d.code)).toEqual([s.code]);
      const calls = fake.state.requests.length;
      const again = await settleDiscount(s.ctx, await s.row());
      expect(again.message.html).toContain(s.code);
      expect(fake.state.requests.length).toBe(calls);
    } finally {
      await fake.close();
    }
  });

  it("after a crash between Shopify's answer and our commit, the retry finds its own code (TAKEN) and sends it: still one discount", async () => {
    const shop = randomShop("disc");
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, grantedScopes: SCOPES });
    try {
      const s = await setup(fake.origin, shop);
      // The first attempt's creation reached Shopify; the process died before storing it.
      expect((await s.issuer.create(shop, { title: "t", code: s.code, context: { all: "ALL" }, customerGets: { value: { percentage: 0.1 }, items: { all: true } } })).type).toBe("created");
      const retry = await settleDiscount(s.ctx, await s.row());
      expect(retry.withoutCode).toBeNull();
      expect((await s.row()).discountCode).toBe(s.code);
      expect(fake.state.discounts).toHaveLength(1);
    } finally {
      await fake.close();
    }
  });

  it("on userErrors sends the message without the code and says why; the failure is kept for later attempts", async () => {
    const shop = randomShop("disc");
    const fake = await startFakeShopifyAdmin({ shop, accessToken: TOKEN, grantedScopes: SCOPES });
    try {
      fake.state.discountFaults = { userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code is invalid", code: "INVALID", extraInfo: null }] };
      const s = await setup(fake.origin, shop);
      const settled = await settleDiscount(s.ctx, await s.row());
      expect(settled.message.html).toBe("<p>no code</p>");
      expect(settled.withoutCode?.reason).toBe("discount_not_attached");
      expect(settled.withoutCode?.detail).toContain("basicCodeDiscount.code: Code is invalid (INVALID)");
      const stored = await s.row();
      expect(stored.discountCode).toBeNull();
      expect((stored.message as { html: string }).html).toBe("<p>no code</p>");
      const later = await settleDiscount(s.ctx, stored);
      expect(later.message.html).toBe("<p>no code</p>");
      expect(later.withoutCode?.detail).toContain("Code is invalid");
    } finally {
      await fake.close();
    }
  });

  it("gives up on an Admin API that does not answer within the deadline and sends without the code", async () => {
    const shop = randomShop("disc");
    // A server that accepts the connection and never answers.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const s = await setup(`http://127.0.0.1:${(silent.address() as AddressInfo).port}`, shop, 300);
      const started = Date.now();
      const settled = await settleDiscount(s.ctx, await s.row());
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(settled.message.html).toBe("<p>no code</p>");
      expect(settled.withoutCode?.detail).toContain("did not answer in time");
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
