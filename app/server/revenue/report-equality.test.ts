import { randomUUID } from "node:crypto";
import { type Db, campaignDecisions, campaignEpisodes, revenueClicks, revenueOrders, revenueRefunds, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { seededRandom as random } from "./testing.ts";
import { buildReport } from "./report.ts";

const ZONE = "America/New_York";
const HOUR = 3_600_000;
/** Rows over the 40 days before `end` (DST ended on 2026-11-01 in New York), some a minute from a local midnight. */
async function seed(db: Db, shop: string, end: Date) {
  const rnd = random(20261206);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const when = () => {
    const t = end.getTime() - Math.floor(rnd() * 40 * 24) * HOUR;
    return new Date(rnd() < 0.3 ? t - (t % (24 * HOUR)) + pick([4, 5]) * HOUR + pick([-60_000, 0, 60_000]) : t + Math.floor(rnd() * HOUR));
  };
  await db.insert(shops).values({ shop, currency: "EUR", timezone: ZONE });
  const episodes = Array.from({ length: 120 }, () => ({ id: randomUUID(), shop, campaignId: pick(["c1", "c2"]), profileId: "p", status: "closed", startedAt: when(), lastChangeAt: end }));
  await db.insert(campaignEpisodes).values(episodes);
  await db.insert(campaignDecisions).values(Array.from({ length: 300 }, () => {
    const e = pick(episodes);
    const outcome = pick(["sent", "sent", "skipped", "deferred", "closed"]);
    return { shop, profileId: "p", campaignId: e.campaignId, episodeId: e.id, step: pick([0, 0, 1]), outcome, reason: outcome === "sent" ? null : pick(["holdout", "purchased", "quiet_hours"]), at: when() };
  }));
  await db.insert(revenueClicks).values(Array.from({ length: 80 }, () => {
    const e = pick(episodes);
    return { shop, sendId: "s", campaignId: e.campaignId, episodeId: e.id, kind: "recovery", url: "u", first: rnd() < 0.6, at: when() };
  }));
  const orders = Array.from({ length: 90 }, () => {
    const e = pick(episodes);
    return { shop, orderId: randomUUID(), profileId: "p", orderedAt: when(), totalMinor: 100 + Math.floor(rnd() * 9000), currency: pick(["EUR", "EUR", "USD"]), rule: pick(["click", "cart_token", null]), exposure: pick(["emailed", "holdout", null]), campaignId: e.campaignId, episodeId: e.id, firstForEpisode: rnd() < 0.7 };
  });
  await db.insert(revenueOrders).values(orders);
  await db.insert(revenueRefunds).values(orders.filter(() => rnd() < 0.3).map((o) => ({ shop, refundId: randomUUID(), orderId: o.orderId, amountMinor: 50, currency: "EUR", at: when() })));
}

const localDay = (d: Date) => new Intl.DateTimeFormat("en-CA", { timeZone: ZONE }).format(d);
type Tally = Record<string, number>;

/** The same figures the naive way: every row of the shop read back and counted in JS by its New York day. */
async function naive(db: Db, shop: string, from: string, to: string) {
  const days = new Map<string, Tally>();
  const bump = (at: Date, key: string, n = 1) => {
    const day = localDay(at);
    if (day < from || day > to) return;
    const t = days.get(day) ?? {};
    t[key] = (t[key] ?? 0) + n;
    days.set(day, t);
  };
  for (const e of await db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop))) bump(e.startedAt, "abandoned");
  for (const d of await db.select().from(campaignDecisions).where(eq(campaignDecisions.shop, shop))) {
    if (d.outcome === "sent") bump(d.at, "sent");
    if (d.outcome === "sent" && d.step === 0) bump(d.at, "emailed");
    if (d.outcome === "skipped") bump(d.at, `skipped:${d.reason}`);
  }
  for (const c of await db.select().from(revenueClicks).where(eq(revenueClicks.shop, shop))) {
    bump(c.at, "clicks");
    if (c.first) bump(c.at, "clickedEpisodes");
  }
  const orders = await db.select().from(revenueOrders).where(eq(revenueOrders.shop, shop));
  for (const o of orders) {
    if (o.exposure === null) continue;
    if (o.rule !== null) bump(o.orderedAt, "recoveredOrders");
    if (o.rule !== null && o.currency === "EUR") bump(o.orderedAt, "revenueMinor", o.totalMinor);
    if (o.firstForEpisode) bump(o.orderedAt, o.exposure === "holdout" ? "holdoutConverted" : "emailedConverted");
  }
  const credited = new Set(orders.filter((o) => o.rule !== null && o.currency === "EUR").map((o) => o.orderId));
  for (const r of await db.select().from(revenueRefunds).where(eq(revenueRefunds.shop, shop))) if (credited.has(r.orderId)) bump(r.at, "refundedMinor", r.amountMinor);
  return days;
}

function tallyOf(day: { abandoned: number; emailed: number; sent: number; skipped: Record<string, number>; clicks: number; clickedEpisodes: number; recoveredOrders: number; revenueMinor: number; refundedMinor: number; emailedConverted: number; holdoutConverted: number }): Tally {
  const t: Tally = {};
  for (const key of ["abandoned", "emailed", "sent", "clicks", "clickedEpisodes", "recoveredOrders", "revenueMinor", "refundedMinor", "emailedConverted", "holdoutConverted"] as const) if (day[key]) t[key] = day[key];
  for (const [reason, n] of Object.entries(day.skipped)) if (n) t[`skipped:${reason}`] = n;
  return t;
}

describeEachDatabase("results report against a from-scratch count", (database) => {
  it("equals the naive per-day count in the shop's zone, live, once rolled up, and as days settle", async () => {
    const db = database().db;
    const shop = randomShop("equal");
    const end = new Date("2026-11-20T04:30:00Z"); // 23:30 in New York: the live window and the last hour before a midnight
    await seed(db, shop, end);
    for (const now of [end, end, new Date(end.getTime() + HOUR), new Date(end.getTime() + 2 * HOUR), new Date(end.getTime() + 30 * HOUR)]) {
      const report = (await buildReport(db, shop, { days: 45, now }))!;
      expect(report.to).toBe(localDay(now));
      const expected = await naive(db, shop, report.from, report.to);
      const got = new Map(report.days.map((d) => [d.day, tallyOf(d)] as const).filter(([, t]) => Object.keys(t).length > 0));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(expected));
    }
  });
});
