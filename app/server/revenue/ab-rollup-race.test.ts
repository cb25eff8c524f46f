import { randomUUID } from "node:crypto";
import { type Db, campaignSends, campaigns, revenueOrders, revenueRefunds, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { abReport } from "./ab-report.ts";
import { abRowsFromScratch } from "./ab-scratch.ts";
import { reportPeriod } from "./period.ts";
import { netRefunds } from "./refunds.ts";

const NOW = new Date();

/** Until another connection waits for this episode's advisory lock (the trigger took it). */
async function untilWaiting(db: Db, shop: string, episodeId: string) {
  for (let i = 0; i < 400; i++) {
    const result = await db.execute(sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted
      and objid::bigint = (hashtext(${`order-episode:${shop}:${episodeId}`})::bigint & 4294967295)`);
    if (((result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("the second transaction never waited for the episode's lock");
}

/**
 * `first` runs in a transaction held open until `second` (another connection) waits on it. PGlite
 * has one connection, so there the two only run one after the other.
 */
async function interleave(db: Db, concurrent: boolean, shop: string, episodeId: string, first: (tx: Db) => PromiseLike<unknown>, second: () => PromiseLike<unknown>) {
  if (!concurrent) {
    await db.transaction(async (tx) => void (await first(tx as unknown as Db)));
    return void (await second());
  }
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const one = db.transaction(async (tx) => {
    await first(tx as unknown as Db);
    entered();
    await gate;
  });
  await inside;
  // Query builders run when awaited: start the second one now.
  const two = Promise.resolve().then(second);
  await untilWaiting(db, shop, episodeId);
  release();
  await Promise.all([one, two]);
}

describeEachDatabase("A/B rollup under concurrent writers", (database, target) => {
  const concurrent = target === "postgres";
  const setup = async () => {
    const db = database().db;
    const shop = randomShop("ab-race");
    await db.insert(shops).values({ shop, currency: "EUR" });
    await db.insert(campaigns).values({ id: `${shop}-c1`, shop, name: "Carts", steps: [], settings: {} });
    const episodeId = randomUUID();
    const sendId = randomUUID();
    await db.insert(campaignSends).values({
      id: sendId, shop, campaignId: `${shop}-c1`, episodeId, profileId: "p", step: 0, variant: "B", idempotencyKey: sendId,
      status: "sending", toEmail: "x@example.com", message: {}, dueAt: NOW, createdAt: new Date(NOW.getTime() - 60_000),
    });
    const markSent = (db: Db) => db.update(campaignSends).set({ status: "sent", sentAt: NOW }).where(and(eq(campaignSends.shop, shop), eq(campaignSends.id, sendId)));
    const order = { shop, orderId: String(Date.now()), profileId: "p", orderedAt: NOW, totalMinor: 5000, currency: "EUR", rule: "click", exposure: "emailed", campaignId: `${shop}-c1`, episodeId };
    return { db, shop, episodeId, markSent, order };
  };
  const expectExact = async (db: Db, shop: string, expected: { converted: number; revenueMinor: number }) => {
    const { from, to } = await reportPeriod(db, "UTC", { days: 7, now: NOW });
    const [scratch] = await abRowsFromScratch(db, shop, "EUR", from, to);
    const [step] = await abReport(db, shop, { days: 7, now: NOW });
    expect(step!.b).toMatchObject({ recipients: 1, ...expected });
    expect([Number(scratch!.converted), Number(scratch!.revenue)]).toEqual([expected.converted, expected.revenueMinor]);
  };

  it("counts an order credited while its episode's send is going out in another transaction", async () => {
    const { db, shop, episodeId, markSent, order } = await setup();
    await interleave(db, concurrent, shop, episodeId, (tx) => markSent(tx), () => db.insert(revenueOrders).values(order));
    await expectExact(db, shop, { converted: 1, revenueMinor: 5000 });
  });

  it("nets a refund written while its episode's send is going out in another transaction", async () => {
    const { db, shop, episodeId, markSent, order } = await setup();
    await db.insert(revenueOrders).values(order);
    const refund = async (tx: Db) => {
      await tx.insert(revenueRefunds).values({ shop, refundId: randomUUID(), orderId: order.orderId, amountMinor: 1200, currency: "EUR", at: NOW });
      await netRefunds(tx, shop, order.orderId);
    };
    await interleave(db, concurrent, shop, episodeId, refund, () => markSent(db));
    await expectExact(db, shop, { converted: 1, revenueMinor: 3800 });
  });
});
