import { randomUUID } from "node:crypto";
import { campaignSends, campaigns, revenueOrders, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { expect, it } from "vitest";
import { abReport } from "./ab-report.ts";

const NOW = new Date("2026-11-20T15:00:00Z");
const hoursAgo = (n: number) => new Date(NOW.getTime() - n * 3_600_000);

describeEachDatabase("A/B report", (database) => {
  const seed = async () => {
    const db = database().db;
    const shop = randomShop("ab");
    await db.insert(shops).values({ shop, currency: "EUR" });
    await db.insert(campaigns).values({ id: `${shop}-c1`, shop, name: "Carts", steps: [], settings: {} });
    const send = async (variant: string | null, options: { step?: number; status?: string; ago?: number; episodeId?: string; inShop?: string } = {}) => {
      const episodeId = options.episodeId ?? randomUUID();
      await db.insert(campaignSends).values({
        id: randomUUID(), shop: options.inShop ?? shop, campaignId: `${shop}-c1`, episodeId, profileId: "p", step: options.step ?? 0, variant,
        idempotencyKey: randomUUID(), status: options.status ?? "sent", toEmail: "x@example.com", message: {}, dueAt: hoursAgo(options.ago ?? 1), createdAt: hoursAgo(options.ago ?? 1),
      });
      return episodeId;
    };
    const order = (episodeId: string, totalMinor: number, extra: Partial<typeof revenueOrders.$inferInsert> = {}) =>
      db.insert(revenueOrders).values({ shop, orderId: randomUUID(), profileId: "p", orderedAt: hoursAgo(0.5), totalMinor, currency: "EUR", rule: "click", exposure: "emailed", campaignId: `${shop}-c1`, episodeId, ...extra });
    return { db, shop, send, order };
  };

  it("counts recipients, converted episodes, orders and net revenue per variant with its sum of squares", async () => {
    const { db, shop, send, order } = await seed();
    // A: 3 recipients, one bought twice (5000 + 3000, 1000 refunded) -> 7000.
    const a1 = await send("A");
    await send("A");
    await send("A");
    await order(a1, 5000, { refundedMinor: 1000 });
    await order(a1, 3000);
    // B: 2 recipients, both bought 4000; one more order in USD counts as an order, not as revenue.
    const b1 = await send("B");
    const b2 = await send("B");
    await order(b1, 4000);
    await order(b2, 4000);
    await order(b2, 999, { currency: "USD" });
    const [step] = await abReport(db, shop, { days: 30, now: NOW });
    expect(step).toMatchObject({ name: "Carts", step: 0 });
    expect(step!.a).toEqual({ recipients: 3, converted: 1, orders: 2, revenueMinor: 7000, revenueSquares: 49_000_000 });
    expect(step!.b).toEqual({ recipients: 2, converted: 2, orders: 3, revenueMinor: 8000, revenueSquares: 32_000_000 });
    expect(step!.result.winner).toBeNull();
  });

  it("leaves out orders credited to no email, sends not sent, steps without variants, old sends and other shops", async () => {
    const { db, shop, send, order } = await seed();
    const a = await send("A");
    await order(a, 5000, { rule: null, exposure: "emailed" });
    await send("B", { status: "failed" });
    await send(null);
    await send("B", { ago: 31 * 24 });
    const elsewhere = randomShop("ab-other");
    await send("B", { inShop: elsewhere });
    await send("B", { step: 1 });
    const steps = await abReport(db, shop, { days: 30, now: NOW });
    expect(steps.map((s) => [s.step, s.a.recipients, s.a.converted, s.a.revenueMinor, s.b.recipients])).toEqual([[0, 1, 0, 0, 0], [1, 0, 0, 0, 1]]);
    expect(await abReport(db, randomShop("nobody"), { days: 30, now: NOW })).toEqual([]);
  });
});
