import { randomUUID } from "node:crypto";
import { type Db, campaignSends, campaigns, revenueOrders, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { seededRandom as random } from "./testing.ts";
import { abReport } from "./ab-report.ts";
import { abRowsFromScratch } from "./ab-scratch.ts";
import { reportPeriod } from "./period.ts";
import { netRefunds, recordRefunds } from "./refunds.ts";

const HOUR = 3_600_000;
const NOW = new Date("2026-11-20T15:10:00Z");

/** The reference: the old from-scratch query over the report's period. */
async function fromScratch(db: Db, shop: string, days: number) {
  const [row] = await db.select({ currency: shops.currency, timezone: shops.timezone }).from(shops).where(eq(shops.shop, shop));
  const { from, to } = await reportPeriod(db, row!.timezone, { days, now: NOW });
  const rows = await abRowsFromScratch(db, shop, row!.currency, from, to);
  return rows
    .map((r) => [r.campaign_id, Number(r.step), r.variant, ...[r.recipients, r.converted, r.orders, r.revenue, r.squares].map(Number)])
    .sort((x, y) => `${x[0]}\n${x[1]}\n${x[2]}`.localeCompare(`${y[0]}\n${y[1]}\n${y[2]}`));
}

async function fromRollup(db: Db, shop: string, days: number) {
  const steps = await abReport(db, shop, { days, now: NOW });
  const out: unknown[][] = [];
  for (const s of steps) {
    for (const [variant, v] of [["A", s.a], ["B", s.b]] as const) {
      if (v.recipients > 0) out.push([s.campaignId, s.step, variant, v.recipients, v.converted, v.orders, v.revenueMinor, v.revenueSquares]);
    }
  }
  return out.sort((x, y) => `${x[0]}\n${x[1]}\n${x[2]}`.localeCompare(`${y[0]}\n${y[1]}\n${y[2]}`));
}

/**
 * Random sends, orders and refunds written the ways the app writes them (and some it could):
 * sends going out later than they were created, orders before and after later steps' sends,
 * two orders of one episode in one statement, refunds before and after their order, orders
 * deleted or uncredited, the shop's currency changed and back.
 */
async function churn(db: Db, shop: string, seed: number) {
  const rnd = random(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const episodes = Array.from({ length: 40 }, () => randomUUID());
  const sends: string[] = [];
  const orders: string[] = [];
  const when = () => {
    // Many a few minutes either side of a period's first local midnight (New York 05:00 UTC,
    // Kolkata 18:30, Kathmandu 18:15: the partial hours read from the sends), the rest anywhere.
    if (rnd() < 0.4) {
      const day = Math.floor(NOW.getTime() / (24 * HOUR)) - pick([0, 1, 6, 7, 29, 30]);
      return new Date(Math.min(NOW.getTime() - 1, day * 24 * HOUR + pick([5, 18.25, 18.5]) * HOUR + pick([-60_000, 0, 60_000, 600_000])));
    }
    return new Date(NOW.getTime() - Math.floor(rnd() * 35 * 24 * HOUR));
  };
  const addSend = async () => {
    const id = randomUUID();
    const at = when();
    await db.insert(campaignSends).values({
      id, shop, campaignId: pick([`${shop}-c1`, `${shop}-c2`]), episodeId: pick(episodes), profileId: "p", step: pick([0, 1]), variant: pick([null, "A", "B", "B"]),
      idempotencyKey: id, status: pick(["sent", "sent", "sending", "failed"]), toEmail: "x@example.com", message: {}, dueAt: at, createdAt: at,
    });
    sends.push(id);
  };
  const addOrders = async () => {
    const episodeId = pick(episodes);
    const batch = Array.from({ length: pick([1, 1, 2]) }, () => ({
      shop, orderId: String(Math.floor(rnd() * 1e12)), profileId: "p", orderedAt: when(), totalMinor: 100 + Math.floor(rnd() * 20_000),
      currency: pick(["EUR", "EUR", "EUR", "USD"]), rule: pick(["click", "cart_token", "code", null]), exposure: "emailed", campaignId: `${shop}-c1`, episodeId,
    }));
    await db.transaction(async (tx) => {
      await tx.insert(revenueOrders).values(batch).onConflictDoNothing();
      for (const o of batch) await netRefunds(tx, shop, o.orderId);
    });
    orders.push(...batch.map((o) => o.orderId));
  };
  const steps: (() => Promise<unknown>)[] = [
    addSend, addSend, addSend, addOrders, addOrders,
    async () => sends.length && db.update(campaignSends).set({ status: "sent" }).where(and(eq(campaignSends.shop, shop), eq(campaignSends.id, pick(sends)))),
    async () => sends.length && db.update(campaignSends).set({ variant: pick(["A", "B", null]) }).where(and(eq(campaignSends.shop, shop), eq(campaignSends.id, pick(sends)))),
    // A refund for an order Cartback has, or one it will see later (an id not used yet).
    async () => recordRefunds(db, shop, [{ refundId: randomUUID(), orderId: orders.length && rnd() < 0.7 ? pick(orders) : String(Math.floor(rnd() * 1e12)), amountMinor: 50 + Math.floor(rnd() * 900), currency: "EUR", at: when() }]),
    async () => orders.length && db.update(revenueOrders).set({ rule: pick([null, "click"]) }).where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.orderId, pick(orders)))),
    async () => orders.length && db.delete(revenueOrders).where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.orderId, pick(orders)))),
    async () => sends.length && db.delete(campaignSends).where(and(eq(campaignSends.shop, shop), eq(campaignSends.id, pick(sends)))),
    async () => db.update(shops).set({ currency: pick(["EUR", "EUR", "USD"]) }).where(eq(shops.shop, shop)),
  ];
  for (let i = 0; i < 260; i++) await pick(steps)();
}

describeEachDatabase("A/B rollup", (database) => {
  for (const [zone, seed] of [["America/New_York", 20261206], ["Asia/Kolkata", 7], ["Asia/Kathmandu", 11]] as const) {
    it(`equals the from-scratch count after random sends, orders, refunds and currency changes (${zone})`, async () => {
      const db = database().db;
      const shop = randomShop("ab-rollup");
      await db.insert(shops).values({ shop, currency: "EUR", timezone: zone });
      await db.insert(campaigns).values([{ id: `${shop}-c1`, shop, name: "One", steps: [], settings: {} }, { id: `${shop}-c2`, shop, name: "Two", steps: [], settings: {} }]);
      await churn(db, shop, seed);
      for (const days of [1, 7, 30]) {
        const expected = await fromScratch(db, shop, days);
        expect(await fromRollup(db, shop, days)).toEqual(expected);
      }
      // The churn left converted recipients and refunded revenue to compare, not only zeros.
      const month = await fromScratch(db, shop, 30);
      expect(month.filter((r) => Number(r[4]) > 0 && Number(r[7]) > 0).length).toBeGreaterThan(0);
    });
  }
});
