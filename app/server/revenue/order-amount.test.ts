import { randomUUID } from "node:crypto";
import { campaignSends, revenueClicks, revenueOrders } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { configureIngest } from "../ingest/service.ts";
import { ingestRuntime, installShop } from "../ingest/testing.ts";
import { findProfileId } from "../profiles/repository.ts";
import { handleActivityWithRevenue } from "./hook.ts";
import { UNKNOWN_AMOUNT_CURRENCY } from "./orders.ts";
import { buildReport } from "./report.ts";

const H = 3600_000;
const T0 = Date.UTC(2026, 10, 2, 12, 0, 0);
const iso = (hours: number) => new Date(T0 + hours * H).toISOString();

describeEachDatabase("an order's amount when its Charged has no total", (database) => {
  /** A shopper of an EUR shop who was emailed and clicked the restore link, then orders with `charged`. */
  const clickedThenOrdered = async (charged: Record<string, unknown>) => {
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleActivityWithRevenue });
    const shop = randomShop("amt");
    await installShop(database(), shop, { currency: "EUR" });
    const db = database().db;
    const email = `${randomUUID().slice(0, 8)}@example.com`;
    const post = async (item: Record<string, unknown>) => {
      const outcome = await runtime.ingest.submit({ shop, source: "api", items: [{ id: randomUUID(), email, ...item }], receivedAt: new Date(T0 + 4 * H) });
      expect(outcome.type).toBe("ok");
    };
    await post({ name: "Added to Cart", occurredAt: iso(0), cartToken: "c-1", variantId: "46100000000001", quantity: 2, price: "29.00", currency: "EUR" });
    const profileId = (await findProfileId(db, shop, "email", email))!;
    const sendId = randomUUID();
    const episodeId = randomUUID();
    await db.insert(campaignSends).values({
      id: sendId, shop, campaignId: "c1", episodeId, profileId, step: 0, idempotencyKey: `c1:${episodeId}:0`, status: "sent",
      toEmail: email, message: {}, dueAt: new Date(T0 + H), createdAt: new Date(T0 + H), sentAt: new Date(T0 + H),
    });
    await db.insert(revenueClicks).values({ shop, sendId, campaignId: "c1", episodeId, kind: "recovery", url: "https://x/cart/46100000000001:2", first: true, at: new Date(T0 + 2 * H) });
    await post({ name: "Charged", occurredAt: iso(3), orderId: "9001", ...charged });
    const [stored] = await db.select().from(revenueOrders).where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.orderId, "9001")));
    const report = (await buildReport(db, shop, { days: 7, now: new Date(T0 + 5 * H) }))!;
    return { stored, report };
  };

  it("credits the sum of the lines' prices × quantities, in the event's currency", async () => {
    const { stored, report } = await clickedThenOrdered({ currency: "EUR", lines: [{ variantId: "46100000000001", quantity: 2, price: "29.00" }, { variantId: "46100000000002", quantity: 3, price: "0.10" }] });
    expect(stored).toMatchObject({ rule: "click", totalMinor: 5830, currency: "EUR" });
    expect(report.totals).toMatchObject({ recoveredOrders: 1, revenueMinor: 5830, netRevenueMinor: 5830 });
    expect(report.otherCurrencyOrders).toBe(0);
  });

  it("still prefers the order's own total over its lines", async () => {
    const { stored } = await clickedThenOrdered({ currency: "EUR", total: "50.00", lines: [{ variantId: "46100000000001", quantity: 2, price: "29.00" }] });
    expect(stored).toMatchObject({ totalMinor: 5000, currency: "EUR" });
  });

  it("counts an order with neither total nor priced lines as recovered but adds nothing to the revenue", async () => {
    const { stored, report } = await clickedThenOrdered({ currency: "EUR", lines: [{ variantId: "46100000000001", quantity: 2 }] });
    expect(stored).toMatchObject({ rule: "click", currency: UNKNOWN_AMOUNT_CURRENCY });
    expect(report.totals).toMatchObject({ recoveredOrders: 1, revenueMinor: 0 });
    expect(report.otherCurrencyOrders).toBe(1);
    expect(report.rules.find((r) => r.rule === "click")).toMatchObject({ orders: 1, revenueMinor: 0 });
  });
});
