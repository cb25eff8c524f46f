import { randomUUID } from "node:crypto";
import { campaignSends, revenueOrders } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { configureIngest } from "../ingest/service.ts";
import { ingestRuntime, installShop } from "../ingest/testing.ts";
import { findProfileId } from "../profiles/repository.ts";
import { handleActivityWithRevenue } from "./hook.ts";

const H = 3600_000;
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);
const iso = (hours: number) => new Date(T0 + hours * H).toISOString();

describeEachDatabase("order attribution by discount code", (database) => {
  const setup = async () => {
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleActivityWithRevenue });
    const shop = randomShop("code");
    await installShop(database(), shop);
    const db = database().db;
    const post = async (email: string, items: Record<string, unknown>[]) => {
      const outcome = await runtime.ingest.submit({ shop, source: "api", items: items.map((i) => ({ id: randomUUID(), email, ...i })), receivedAt: new Date(T0 + 200 * H) });
      expect(outcome.type).toBe("ok");
    };
    const shopper = async () => {
      const email = `${randomUUID().slice(0, 8)}@example.com`;
      await post(email, [{ name: "Added to Cart", occurredAt: iso(0), cartToken: `c1-${randomUUID()}`, variantId: "11", quantity: 1, price: "10.00", currency: "USD" }]);
      return { email, profileId: (await findProfileId(db, shop, "email", email))! };
    };
    /** A sent email whose code Shopify holds (discount_code set), or one sent without it. */
    const sent = async (profileId: string, email: string, hours: number, code: string | null) => {
      const id = randomUUID();
      const episodeId = randomUUID();
      await db.insert(campaignSends).values({
        id, shop, campaignId: "c1", episodeId, profileId, step: 0, idempotencyKey: `c1:${episodeId}:0`, status: "sent", toEmail: email, message: {},
        dueAt: new Date(T0 + hours * H), createdAt: new Date(T0 + hours * H), sentAt: new Date(T0 + hours * H), discountCode: code,
        discount: code ? { status: "created", code } : { status: "failed", code: "CB-NEVERMADE" },
      });
      return { sendId: id, episodeId };
    };
    const order = (email: string, orderId: string, hours: number, discountCodes: string[]) =>
      post(email, [{ name: "Charged", occurredAt: iso(hours), orderId, total: "9.00", currency: "USD", lines: [{ variantId: "11", quantity: 1, price: "10.00" }], discountCodes }]);
    const stored = async (orderId: string) => (await db.select().from(revenueOrders).where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.orderId, orderId))))[0];
    return { shop, shopper, sent, order, stored };
  };

  it("credits the order that carries the email's code, in any case, with the rule discount_code", async () => {
    const s = await setup();
    const a = await s.shopper();
    const send = await s.sent(a.profileId, a.email, 1, "CB-ABCDEFGH23");
    await s.order(a.email, "5001", 150, ["cb-abcdefgh23"]);
    expect(await s.stored("5001")).toMatchObject({ rule: "discount_code", sendId: send.sendId, episodeId: send.episodeId, exposure: "emailed", firstForEpisode: true });
  });

  it("credits the email whose code it is even when another shopper places the order", async () => {
    const s = await setup();
    const a = await s.shopper();
    const b = await s.shopper();
    const send = await s.sent(a.profileId, a.email, 1, "CB-SHAREDCODE");
    await s.order(b.email, "5002", 5, ["CB-SHAREDCODE"]);
    expect(await s.stored("5002")).toMatchObject({ rule: "discount_code", sendId: send.sendId });
  });

  it("does not credit a code the email never got (creation failed) nor another shop's code", async () => {
    const s = await setup();
    const a = await s.shopper();
    await s.sent(a.profileId, a.email, 1, null);
    await s.order(a.email, "5003", 2, ["CB-NEVERMADE", "WELCOME10"]);
    expect((await s.stored("5003"))?.rule).not.toBe("discount_code");
    const other = await setup();
    const o = await other.shopper();
    await other.sent(o.profileId, o.email, 1, "CB-OTHERSHOP1");
    await s.order(a.email, "5004", 3, ["CB-OTHERSHOP1"]);
    expect((await s.stored("5004"))?.rule).not.toBe("discount_code");
  });

  it("counts an order once: the same order reported again changes nothing", async () => {
    const s = await setup();
    const a = await s.shopper();
    await s.sent(a.profileId, a.email, 1, "CB-ONCEONLY22");
    await s.order(a.email, "5005", 2, ["CB-ONCEONLY22"]);
    await s.order(a.email, "5005", 2, ["CB-ONCEONLY22"]);
    const second = await s.sent(a.profileId, a.email, 3, "CB-LATERCODE2");
    await s.order(a.email, "5005", 4, ["CB-LATERCODE2"]);
    const row = await s.stored("5005");
    expect(row?.rule).toBe("discount_code");
    expect(row?.sendId).not.toBe(second.sendId);
  });
});
