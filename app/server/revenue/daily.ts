import { type Db, revenueDaily, revenueRollupDays } from "@cartback/db";
import { sql } from "drizzle-orm";
import { type Part, PARTS, addDays, countDays, localDay, partOf } from "./day-counts.ts";

export { type DailyCount, countDays, localDay } from "./day-counts.ts";
import type { DailyCount } from "./day-counts.ts";

/**
 * Days this recent are counted from the base tables on every report for the `outcomes` part:
 * episodes start and orders are dated when the cart changed or the order was placed, which a
 * webhook can report up to 48 h late, so such a day settles after two more.
 */
export const LIVE_DAYS = 3;

/**
 * The `activity` part (sent and skipped decisions, clicks) is dated by Cartback's own clock when
 * it is written, so a day of it settles once the longest write that began in it has ended: an
 * hour after the day ends is far past any delivery's deadline.
 */
export const ACTIVITY_SETTLE_MS = 3_600_000;

type Row = { day: string; campaign_id: string; metric: string; reason: string; n: string | number };
const rowsOf = <T = Row>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? (result as T[]));

/** The first day each part is still counted live on, in the shop's zone. */
export function liveFrom(now: Date, zone: string): Record<Part, string> {
  return { activity: localDay(new Date(now.getTime() - ACTIVITY_SETTLE_MS), zone), outcomes: addDays(localDay(now, zone), -(LIVE_DAYS - 1)) };
}

/**
 * The report's counts for the shop's days [fromDay, toDay): settled days of each part from
 * revenue_daily (rolled up now if missing), the rest from the base tables.
 */
export async function dailyCounts(db: Db, shop: string, currency: string, zone: string, fromDay: string, toDay: string, now: Date): Promise<DailyCount[]> {
  const live = liveFrom(now, zone);
  const settledTo = (part: Part) => (live[part] < toDay ? live[part] : toDay);
  const readTo = PARTS.map(settledTo).sort().at(-1)!;
  const out: DailyCount[] = [];
  if (fromDay < readTo) {
    await rollUp(db, { shop, currency, zone, fromDay, readTo }, settledTo);
    const rows = rowsOf(await db.execute(sql`
      select day::text as day, campaign_id, metric, reason, n from ${revenueDaily}
       where shop = ${shop} and day >= ${fromDay}::date and day < ${readTo}::date`));
    for (const r of rows) if (r.day < settledTo(partOf(r.metric))) out.push({ day: r.day, campaignId: r.campaign_id, metric: r.metric, reason: r.reason, n: Number(r.n) });
  }
  for (const part of PARTS) {
    const start = fromDay > live[part] ? fromDay : live[part];
    if (start < toDay) out.push(...(await countDays(db, { shop, currency, zone }, start, toDay, part)));
  }
  return out;
}

interface Scope {
  shop: string;
  currency: string;
  zone: string;
  fromDay: string;
  readTo: string;
}

/**
 * Rolls up each part's settled days in [fromDay, settledTo(part)) that have no marker yet, in one
 * pass over their range. Rollups cut in another zone (the shop changed its time zone) are dropped
 * and redone.
 */
async function rollUp(db: Db, s: Scope, settledTo: (part: Part) => string): Promise<void> {
  const marked = rowsOf<{ day: string; part: string; zone: string }>(await db.execute(sql`
    select day::text as day, part, zone from ${revenueRollupDays} where shop = ${s.shop} and day >= ${s.fromDay}::date and day < ${s.readTo}::date`));
  const have = new Set(marked.map((m) => `${m.part}\n${m.day}`));
  if (marked.some((m) => m.zone !== s.zone)) {
    await db.execute(sql`delete from ${revenueDaily} where shop = ${s.shop}`);
    await db.execute(sql`delete from ${revenueRollupDays} where shop = ${s.shop}`);
    have.clear();
  }
  for (const part of PARTS) {
    const missing: string[] = [];
    for (let day = s.fromDay; day < settledTo(part); day = addDays(day, 1)) if (!have.has(`${part}\n${day}`)) missing.push(day);
    if (missing.length > 0) await store(db, s, part, missing);
  }
}

async function store(db: Db, s: Scope, part: Part, missing: string[]): Promise<void> {
  const wanted = new Set(missing);
  const counts = (await countDays(db, s, missing[0]!, addDays(missing.at(-1)!, 1), part)).filter((c) => wanted.has(c.day));
  for (let i = 0; i < counts.length; i += 1000) {
    const chunk = counts.slice(i, i + 1000).map((c) => ({ shop: s.shop, day: c.day, campaignId: c.campaignId, metric: c.metric, reason: c.reason, n: c.n }));
    await db.insert(revenueDaily).values(chunk).onConflictDoNothing();
  }
  for (let i = 0; i < missing.length; i += 1000) {
    await db.insert(revenueRollupDays).values(missing.slice(i, i + 1000).map((day) => ({ shop: s.shop, day, part, zone: s.zone }))).onConflictDoNothing();
  }
}
