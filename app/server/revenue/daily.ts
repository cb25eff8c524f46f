import { type Db, revenueDaily, revenueRollupDays } from "@cartback/db";
import { sql } from "drizzle-orm";

/** One count of the report: see countDays for the metrics. */
export interface DailyCount {
  day: string;
  campaignId: string;
  metric: string;
  reason: string;
  n: number;
}

/**
 * Days this recent are counted from the base tables on every report: episodes start and orders
 * are dated when the cart changed or the order was placed, which a webhook can report up to 48 h
 * late, so a day settles after two more. Older days are rolled up once into revenue_daily
 * (refunds, which come weeks later, are netted by the day they happen instead).
 */
export const LIVE_DAYS = 3;

const DAY_MS = 86_400_000;
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const addDays = (day: string, n: number) => dayOf(new Date(dayStart(day).getTime() + n * DAY_MS));

type Row = { day: string; campaign_id: string; metric: string; reason: string; n: string | number };
const rowsOf = (result: unknown): Row[] => ((result as { rows?: Row[] }).rows ?? (result as Row[]));

/**
 * Every count of the report in [from, to) by UTC day and campaign, from the base tables by index
 * range scans: decisions (emailed / followup / skipped by reason), episodes started (abandoned),
 * clicks and episodes clicked, and orders beside an email or a holdout (reason
 * `<exposure>:credited|uncredited`: orders, first orders of their episode, revenue in the shop's
 * currency, orders in another currency). Refunds are netted by refund day, apart (refunds.ts).
 */
export async function countDays(db: Db, shop: string, currency: string, fromDay: string, toDay: string): Promise<DailyCount[]> {
  const from = dayStart(fromDay);
  const to = dayStart(toDay);
  const decisions = await db.execute(sql`select day::text as day, campaign_id, metric, reason, n from (
    select (at at time zone 'UTC')::date as day, campaign_id,
           case when outcome = 'sent' then (case when step = 0 then 'emailed' else 'followup' end) else 'skipped' end as metric,
           case when outcome = 'sent' then '' else coalesce(reason, '') end as reason, count(*) as n
      from campaign_decisions
     where shop = ${shop} and at >= ${from} and at < ${to} and outcome in ('sent', 'skipped')
     group by 1, 2, 3, 4
    union all
    select (started_at at time zone 'UTC')::date, campaign_id, 'abandoned', '', count(*)
      from campaign_episodes
     where shop = ${shop} and started_at >= ${from} and started_at < ${to}
     group by 1, 2) t`);
  const clicks = await db.execute(sql`select day::text as day, campaign_id, clicks, clicked from (
    select (at at time zone 'UTC')::date as day, campaign_id, count(*) as clicks, count(*) filter (where first) as clicked
      from revenue_clicks where shop = ${shop} and at >= ${from} and at < ${to} group by 1, 2) t`);
  const orders = await db.execute(sql`select day::text as day, campaign_id, reason, orders, first_orders, revenue, other_currency from (
    select (ordered_at at time zone 'UTC')::date as day, campaign_id,
           exposure || (case when rule is null then ':uncredited' else ':credited' end) as reason,
           count(*) as orders, count(*) filter (where first_for_episode) as first_orders,
           coalesce(sum(total_minor) filter (where currency = ${currency}), 0) as revenue,
           count(*) filter (where currency <> ${currency}) as other_currency
      from revenue_orders
     where shop = ${shop} and exposure is not null and ordered_at >= ${from} and ordered_at < ${to}
     group by 1, 2, 3) t`);
  const out: DailyCount[] = rowsOf(decisions).map((r) => ({ day: r.day, campaignId: r.campaign_id, metric: r.metric, reason: r.reason, n: Number(r.n) }));
  for (const r of rowsOf(clicks) as unknown as Record<string, string>[]) {
    out.push({ day: r.day!, campaignId: r.campaign_id!, metric: "clicks", reason: "", n: Number(r.clicks) });
    out.push({ day: r.day!, campaignId: r.campaign_id!, metric: "clicked", reason: "", n: Number(r.clicked) });
  }
  for (const r of rowsOf(orders) as unknown as Record<string, string>[]) {
    for (const metric of ["orders", "first_orders", "revenue", "other_currency"] as const) {
      out.push({ day: r.day!, campaignId: r.campaign_id!, metric, reason: r.reason!, n: Number(r[metric]) });
    }
  }
  return out.filter((c) => c.n !== 0 || c.metric === "abandoned");
}

/**
 * The report's counts for [fromDay, toDay): settled days from revenue_daily (rolled up now if
 * missing), the live window from the base tables.
 */
export async function dailyCounts(db: Db, shop: string, currency: string, fromDay: string, toDay: string, today: string): Promise<DailyCount[]> {
  const liveFrom = addDays(today, -(LIVE_DAYS - 1));
  const settledTo = liveFrom < toDay ? liveFrom : toDay;
  const out: DailyCount[] = [];
  if (fromDay < settledTo) {
    await rollUp(db, shop, currency, fromDay, settledTo);
    const rows = await db.execute(sql`
      select day::text as day, campaign_id, metric, reason, n from ${revenueDaily}
       where shop = ${shop} and day >= ${fromDay}::date and day < ${settledTo}::date`);
    out.push(...rowsOf(rows).map((r) => ({ day: r.day, campaignId: r.campaign_id, metric: r.metric, reason: r.reason, n: Number(r.n) })));
  }
  const liveStart = fromDay > liveFrom ? fromDay : liveFrom;
  if (liveStart < toDay) out.push(...(await countDays(db, shop, currency, liveStart, toDay)));
  return out;
}

/** Rolls up the settled days in [fromDay, toDay) that have no marker yet, in one pass over their range. */
async function rollUp(db: Db, shop: string, currency: string, fromDay: string, toDay: string): Promise<void> {
  const marked = rowsOf(await db.execute(sql`select day::text as day from ${revenueRollupDays} where shop = ${shop} and day >= ${fromDay}::date and day < ${toDay}::date`));
  const have = new Set(marked.map((r) => r.day));
  const missing: string[] = [];
  for (let day = fromDay; day < toDay; day = addDays(day, 1)) if (!have.has(day)) missing.push(day);
  if (missing.length === 0) return;
  const wanted = new Set(missing);
  const counts = (await countDays(db, shop, currency, missing[0]!, addDays(missing.at(-1)!, 1))).filter((c) => wanted.has(c.day));
  await db.transaction(async (tx) => {
    for (let i = 0; i < counts.length; i += 1000) {
      const chunk = counts.slice(i, i + 1000).map((c) => ({ shop, day: c.day, campaignId: c.campaignId, metric: c.metric, reason: c.reason, n: c.n }));
      await tx.insert(revenueDaily).values(chunk).onConflictDoNothing();
    }
    for (let i = 0; i < missing.length; i += 1000) {
      await tx.insert(revenueRollupDays).values(missing.slice(i, i + 1000).map((day) => ({ shop, day }))).onConflictDoNothing();
    }
  });
}
