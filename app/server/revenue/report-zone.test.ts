import { randomUUID } from "node:crypto";
import { campaignDecisions, campaignEpisodes, revenueRollupDays, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { buildReport } from "./report.ts";

// Berlin left summer time on 2026-10-25 at 03:00 CEST (01:00 UTC): that day ran 25 hours, from
// 2026-10-24T22:00Z to 2026-10-25T23:00Z.
const INSTANTS = ["2026-10-24T21:59:00Z", "2026-10-24T22:00:00Z", "2026-10-25T22:59:00Z", "2026-10-25T23:00:00Z"].map((s) => new Date(s));

describeEachDatabase("results report in the shop's time zone", (database) => {
  const seed = async (timezone: string) => {
    const db = database().db;
    const shop = randomShop("zone");
    await db.insert(shops).values({ shop, currency: "EUR", timezone });
    for (const at of INSTANTS) {
      const id = randomUUID();
      await db.insert(campaignEpisodes).values({ id, shop, campaignId: "c1", profileId: "p", status: "closed", startedAt: at, lastChangeAt: at });
      await db.insert(campaignDecisions).values({ shop, profileId: "p", campaignId: "c1", episodeId: id, step: 0, outcome: "sent", at });
    }
    return { db, shop };
  };
  const perDay = (report: { days: { day: string; sent: number; abandoned: number }[] }) => report.days.map((d) => [d.day, d.sent, d.abandoned]);

  it("cuts days at the zone's midnight, the 25-hour day of a DST change included, live and rolled up", async () => {
    const { db, shop } = await seed("Europe/Berlin");
    // 00:30 and 01:30 on the 26th in Berlin: the 25th's activity is live for an hour after it ends, then rolled up.
    for (const now of ["2026-10-25T23:30:00Z", "2026-10-26T00:30:00Z", "2026-10-26T00:30:00Z", "2026-10-28T12:00:00Z"]) {
      const report = (await buildReport(db, shop, { days: 7, now: new Date(now) }))!;
      expect(report.timezone).toBe("Europe/Berlin");
      expect(perDay(report)).toEqual([["2026-10-24", 1, 1], ["2026-10-25", 2, 2], ["2026-10-26", 1, 1]]);
    }
    const markers = await db.select().from(revenueRollupDays).where(eq(revenueRollupDays.shop, shop));
    expect(new Set(markers.map((m) => m.zone))).toEqual(new Set(["Europe/Berlin"]));
    expect(markers.filter((m) => m.day === "2026-10-25").map((m) => m.part).sort()).toEqual(["activity", "outcomes"]);
  });

  it("counts UTC days for a UTC shop, and redoes the rollups when the shop changes its zone", async () => {
    const { db, shop } = await seed("UTC");
    const now = new Date("2026-10-28T12:00:00Z");
    expect(perDay((await buildReport(db, shop, { days: 7, now }))!)).toEqual([["2026-10-24", 2, 2], ["2026-10-25", 2, 2]]);
    await db.update(shops).set({ timezone: "Europe/Berlin" }).where(eq(shops.shop, shop));
    const moved = (await buildReport(db, shop, { days: 7, now }))!;
    expect(moved.from).toBe("2026-10-22");
    expect(perDay(moved)).toEqual([["2026-10-24", 1, 1], ["2026-10-25", 2, 2], ["2026-10-26", 1, 1]]);
    const markers = await db.select().from(revenueRollupDays).where(eq(revenueRollupDays.shop, shop));
    expect(new Set(markers.map((m) => m.zone))).toEqual(new Set(["Europe/Berlin"]));
  });

  it("still counts an episode that starts two days back after the report ran (a late webhook), while decisions settle in an hour", async () => {
    const { db, shop } = await seed("America/New_York");
    const now = new Date("2026-10-27T16:00:00Z");
    const before = (await buildReport(db, shop, { days: 7, now }))!;
    await db.insert(campaignEpisodes).values({ id: randomUUID(), shop, campaignId: "c1", profileId: "p", status: "closed", startedAt: new Date("2026-10-25T12:00:00Z"), lastChangeAt: now });
    const after = (await buildReport(db, shop, { days: 7, now }))!;
    expect(after.totals.abandoned).toBe(before.totals.abandoned + 1);
    expect(after.totals.sent).toBe(before.totals.sent);
  });

  it("counts a decision written in the hour after its day ended (a delivery that began before midnight), live and then rolled up", async () => {
    const { db, shop } = await seed("Europe/Berlin");
    const report = async (now: string) => (await buildReport(db, shop, { days: 7, now: new Date(now) }))!.days.find((d) => d.day === "2026-10-25")!.sent;
    expect(await report("2026-10-25T23:20:00Z")).toBe(2);
    await db.insert(campaignDecisions).values({ shop, profileId: "p", campaignId: "c1", episodeId: "late", step: 1, outcome: "sent", at: new Date("2026-10-25T22:59:30Z") });
    expect(await report("2026-10-25T23:40:00Z")).toBe(3);
    expect(await report("2026-10-26T00:10:00Z")).toBe(3);
    expect(await report("2026-10-27T12:00:00Z")).toBe(3);
  });
});
