import { randomUUID } from "node:crypto";
import { campaignDecisions, campaignSends, revenueClicks, revenueOrders } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { configureIngest } from "../ingest/service.ts";
import { ingestRuntime, installShop } from "../ingest/testing.ts";
import { findProfileId } from "../profiles/repository.ts";
import { handleActivityWithRevenue } from "./hook.ts";
import { parseRefunds, recordRefunds } from "./refunds.ts";

const H = 3600_000;
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);
const iso = (hours: number) => new Date(T0 + hours * H).toISOString();

describeEachDatabase("order attribution through ingest", (database) => {
  const setup = async () => {
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleActivityWithRevenue });
    const shop = randomShop("rev");
    await installShop(database(), shop);
    const db = database().db;
    const email = `${randomUUID().slice(0, 8)}@example.com`;
    const post = async (items: Record<string, unknown>[]) => {
      const outcome = await runtime.ingest.submit({ shop, source: "api", items: items.map((i) => ({ id: randomUUID(), email, ...i })), receivedAt: new Date(T0 + 200 * H) });
      expect(outcome.type).toBe("ok");
    };
    /** A cart with token `cart` (and checkout `checkout`) before `hours`. */
    const abandon = (hours: number, cart: string, checkout?: string) =>
      post([{ name: "Added to Cart", occurredAt: iso(hours), cartToken: cart, ...(checkout ? { checkoutToken: checkout } : {}), variantId: "11", quantity: 2, price: "10.00", currency: "USD" }]);
    const profileId = async () => (await findProfileId(db, shop, "email", email))!;
    const sent = async (hours: number) => {
      const id = randomUUID();
      const episodeId = randomUUID();
      await db.insert(campaignSends).values({
        id, shop, campaignId: "c1", episodeId, profileId: await profileId(), step: 0, idempotencyKey: `c1:${episodeId}:0`, status: "sent",
        toEmail: email, message: {}, dueAt: new Date(T0 + hours * H), createdAt: new Date(T0 + hours * H), sentAt: new Date(T0 + hours * H),
      });
      return { sendId: id, episodeId };
    };
    const click = async (s: { sendId: string; episodeId: string }, hours: number) =>
      db.insert(revenueClicks).values({ shop, sendId: s.sendId, campaignId: "c1", episodeId: s.episodeId, kind: "recovery", url: "https://x/cart/11:2", first: true, at: new Date(T0 + hours * H) });
    const order = (orderId: string, hours: number, tokens: Record<string, string> = {}, total = "20.00") =>
      post([{ name: "Charged", occurredAt: iso(hours), orderId, total, currency: "USD", lines: [{ variantId: "11", quantity: 2, price: "10.00" }], ...tokens }]);
    const stored = async (orderId: string) => (await db.select().from(revenueOrders).where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.orderId, orderId))))[0];
    return { db, shop, abandon, sent, click, order, stored, profileId };
  };

  it("credits an order that carries the emailed cart's token", async () => {
    const s = await setup();
    await s.abandon(0, "c1-emailed");
    const send = await s.sent(1);
    await s.order("1001", 30, { cartToken: "c1-emailed" });
    expect(await s.stored("1001")).toMatchObject({ rule: "cart_token", sendId: send.sendId, episodeId: send.episodeId, exposure: "emailed", totalMinor: 2000, currency: "USD", firstForEpisode: true });
  });

  it("credits an order that carries the emailed checkout's token", async () => {
    const s = await setup();
    await s.abandon(0, "c1-a", "chk-emailed");
    const send = await s.sent(1);
    await s.order("1002", 2, { cartToken: "c1-other", checkoutToken: "chk-emailed" });
    expect(await s.stored("1002")).toMatchObject({ rule: "checkout_token", sendId: send.sendId });
  });

  it("credits an order after a click within the window, and not one after the window", async () => {
    const s = await setup();
    await s.abandon(0, "c1-old");
    const send = await s.sent(1);
    await s.click(send, 2);
    // The permalink made a new cart: its token was never emailed.
    await s.order("1003", 3, { cartToken: "c1-permalink" });
    expect(await s.stored("1003")).toMatchObject({ rule: "click", sendId: send.sendId, firstForEpisode: true });
    await s.order("1004", 2 + 5 * 24 + 1, { cartToken: "c1-much-later" });
    expect(await s.stored("1004")).toMatchObject({ rule: null, exposure: null, episodeId: null });
  });

  it("does not credit an order without a token match or click, but places it beside a holdout", async () => {
    const s = await setup();
    await s.abandon(0, "c1-h");
    const episodeId = randomUUID();
    await s.db.insert(campaignDecisions).values({ shop: s.shop, profileId: await s.profileId(), campaignId: "c1", episodeId, step: 0, outcome: "skipped", reason: "holdout", at: new Date(T0 + H) });
    await s.order("1005", 5, { cartToken: "c1-h" });
    expect(await s.stored("1005")).toMatchObject({ rule: null, exposure: "holdout", episodeId, firstForEpisode: true });
  });

  it("counts an order once when a second source reports it again", async () => {
    const s = await setup();
    await s.abandon(0, "c1-twice");
    await s.sent(1);
    await s.order("1006", 4, { cartToken: "c1-twice" });
    await s.order("1006", 4, { cartToken: "c1-twice" }, "99.00");
    const rows = await s.db.select().from(revenueOrders).where(eq(revenueOrders.shop, s.shop));
    expect(rows.map((r) => [r.orderId, r.totalMinor])).toEqual([["1006", 2000]]);
  });

  it("nets refunds once by refund id, from refunds/create and orders/updated, even before the order", async () => {
    const s = await setup();
    await s.abandon(0, "c1-r");
    await s.sent(1);
    const refund = { id: 501, order_id: 1007, created_at: iso(50), transactions: [{ kind: "refund", status: "success", amount: "5.50", currency: "USD" }] };
    const early = parseRefunds("refunds/create", refund);
    if (early.type !== "ok") throw new Error("parse");
    expect(await recordRefunds(s.db, s.shop, early.refunds)).toBe(1);
    await s.order("1007", 3, { cartToken: "c1-r" });
    expect(await s.stored("1007")).toMatchObject({ rule: "cart_token", totalMinor: 2000, refundedMinor: 550 });
    const updated = parseRefunds("orders/updated", { id: 1007, refunds: [refund, { ...refund, id: 502, transactions: [{ kind: "refund", status: "success", amount: "1.25" }, { kind: "refund", status: "failure", amount: "9" }] }] });
    if (updated.type !== "ok") throw new Error("parse");
    expect(await recordRefunds(s.db, s.shop, updated.refunds)).toBe(1);
    expect((await s.stored("1007"))?.refundedMinor).toBe(675);
    expect(parseRefunds("refunds/create", { order_id: 1 })).toEqual({ type: "invalid", field: "id", reason: "a refund needs its id" });
  });
});
