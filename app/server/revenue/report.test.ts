import { randomUUID } from "node:crypto";
import { campaignDecisions, campaignEpisodes, revenueClicks, revenueDaily, revenueOrders, revenueRefunds, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildReport } from "./report.ts";

const NOW = new Date("2026-11-20T15:00:00Z");
const daysAgo = (n: number, hour = 10) => new Date(Date.UTC(2026, 10, 20 - n, hour));

describeEachDatabase("results report", (database) => {
  const seed = async () => {
    const db = database().db;
    const shop = randomShop("report");
    await db.insert(shops).values({ shop, currency: "EUR" });
    const episode = async (ago: number, campaignId = "c1") => {
      const id = randomUUID();
      await db.insert(campaignEpisodes).values({ id, shop, campaignId, profileId: "p", status: "closed", startedAt: daysAgo(ago, 9), lastChangeAt: daysAgo(ago, 9) });
      return id;
    };
    const decision = (episodeId: string, ago: number, outcome: string, reason: string | null, step = 0, campaignId = "c1") =>
      db.insert(campaignDecisions).values({ shop, profileId: "p", campaignId, episodeId, step, outcome, reason, at: daysAgo(ago) });
    // Ten days ago (rolled up) and today (live): 3 emailed + 1 follow-up, 1 purchased skip, 1 holdout.
    for (const ago of [10, 0]) {
      const [a, b, c, d, e] = await Promise.all([episode(ago), episode(ago), episode(ago), episode(ago), episode(ago, "c2")]);
      await decision(a, ago, "sent", null);
      await decision(a, ago, "sent", null, 1);
      await decision(b, ago, "sent", null);
      await decision(c, ago, "skipped", "purchased");
      await decision(d, ago, "skipped", "holdout");
      await decision(e, ago, "sent", null, 0, "c2");
      await db.insert(revenueClicks).values([
        { shop, sendId: "s", campaignId: "c1", episodeId: a, kind: "recovery", url: "u", first: true, at: daysAgo(ago, 11) },
        { shop, sendId: "s", campaignId: "c1", episodeId: a, kind: "recovery", url: "u", first: false, at: daysAgo(ago, 12) },
      ]);
      const refunded = randomUUID();
      await db.insert(revenueRefunds).values({ shop, refundId: randomUUID(), orderId: refunded, amountMinor: 1000, currency: "EUR", at: daysAgo(ago, 16) });
      await db.insert(revenueOrders).values([
        { shop, orderId: refunded, profileId: "p", orderedAt: daysAgo(ago, 13), totalMinor: 5000, currency: "EUR", refundedMinor: 1000, rule: "click", exposure: "emailed", campaignId: "c1", episodeId: a, firstForEpisode: true },
        { shop, orderId: randomUUID(), profileId: "p", orderedAt: daysAgo(ago, 13), totalMinor: 7000, currency: "USD", rule: "cart_token", exposure: "emailed", campaignId: "c1", episodeId: b, firstForEpisode: true },
        { shop, orderId: randomUUID(), profileId: "p", orderedAt: daysAgo(ago, 14), totalMinor: 3000, currency: "EUR", rule: null, exposure: "holdout", campaignId: "c1", episodeId: d, firstForEpisode: true },
        { shop, orderId: randomUUID(), profileId: "p", orderedAt: daysAgo(ago, 14), totalMinor: 9999, currency: "EUR", rule: null, exposure: null },
      ]);
    }
    return { db, shop };
  };

  it("counts abandoned, sent, skipped by reason, clicks, recovered orders and net revenue per day and campaign", async () => {
    const { db, shop } = await seed();
    const report = (await buildReport(db, shop, { days: 30, now: NOW }))!;
    expect(report.currency).toBe("EUR");
    expect(report.totals).toMatchObject({
      abandoned: 10, emailed: 6, sent: 8, holdout: 2, clicks: 4, clickedEpisodes: 2,
      recoveredOrders: 4, recoveredEpisodes: 4, revenueMinor: 10_000, refundedMinor: 2_000, netRevenueMinor: 8_000,
      emailedConverted: 4, holdoutConverted: 2,
    });
    expect(report.totals.skipped).toEqual({ purchased: 2, holdout: 2 });
    expect(report.otherCurrencyOrders).toBe(2);
    expect(report.days.map((d) => [d.day, d.sent, d.netRevenueMinor])).toEqual([["2026-11-10", 4, 4000], ["2026-11-20", 4, 4000]]);
    expect(report.campaigns.find((c) => c.campaignId === "c2")).toMatchObject({ emailed: 2, abandoned: 2, name: "(deleted campaign)" });
    expect(report.funnel).toEqual({ abandoned: 10, emailed: 6, clicked: 2, recovered: 4 });
    expect(report.lift.emailed).toEqual({ episodes: 6, converted: 4 });
    expect(report.lift.holdout).toEqual({ episodes: 2, converted: 2 });
    // By rule: the USD orders count but add no revenue; the click orders' refunds net on their own.
    expect(report.rules).toEqual([
      { rule: "cart_token", orders: 2, revenueMinor: 0, refundedMinor: 0, netRevenueMinor: 0 },
      { rule: "click", orders: 2, revenueMinor: 10_000, refundedMinor: 2_000, netRevenueMinor: 8_000 },
    ]);
    const week = (await buildReport(db, shop, { days: 7, now: NOW }))!;
    expect(week.rules.map((r) => [r.rule, r.orders, r.netRevenueMinor])).toEqual([["cart_token", 1, 0], ["click", 1, 4_000]]);
  });

  it("reads settled days from their rollup once made (orders and clicks too), and keeps counting the live days", async () => {
    const { db, shop } = await seed();
    await buildReport(db, shop, { days: 30, now: NOW });
    const rolled = await db.select().from(revenueDaily).where(eq(revenueDaily.shop, shop));
    const decisionSide = new Set(["abandoned", "emailed", "followup", "skipped"]);
    expect(rolled.filter((r) => r.day === "2026-11-10" && decisionSide.has(r.metric)).map((r) => [r.metric, r.reason, r.n]).sort()).toEqual(
      [["abandoned", "", 4], ["abandoned", "", 1], ["emailed", "", 2], ["emailed", "", 1], ["followup", "", 1], ["skipped", "holdout", 1], ["skipped", "purchased", 1]].sort(),
    );
    expect(rolled.some((r) => r.day === "2026-11-20")).toBe(false);
    expect(rolled.find((r) => r.day === "2026-11-10" && r.metric === "revenue" && r.reason === "emailed:credited")?.n).toBe(5000);
    // The rollup is what the report reads for a settled day: a row added to it shows.
    await db.insert(revenueDaily).values({ shop, day: "2026-11-10", campaignId: "c1", metric: "skipped", reason: "suppressed", n: 7 });
    const again = (await buildReport(db, shop, { days: 30, now: NOW }))!;
    expect(again.totals.skipped).toEqual({ purchased: 2, holdout: 2, suppressed: 7 });
    expect(again.totals.sent).toBe(8);
  });

  it("answers null for a shop that is not installed, and zeros for one without activity", async () => {
    const db = database().db;
    expect(await buildReport(db, randomShop("none"), { days: 7, now: NOW })).toBeNull();
    const shop = randomShop("quiet");
    await db.insert(shops).values({ shop });
    const report = (await buildReport(db, shop, { days: 7, now: NOW }))!;
    expect(report.days).toEqual([]);
    expect(report.lift.result).toBeNull();
    expect(report.from).toBe("2026-11-14");
  });
});
