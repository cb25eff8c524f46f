import type { Db } from "@cartback/db";
import { type SQL, sql } from "drizzle-orm";

/** One count of the report: see countDays for the metrics. */
export interface DailyCount {
  day: string;
  campaignId: string;
  metric: string;
  reason: string;
  n: number;
}

/**
 * The report's counts come in two parts that settle at different times (daily.ts): `activity`
 * is what Cartback records at its own clock's time (sent and skipped decisions, clicks),
 * `outcomes` what the shop's events date (episodes started by a cart change, orders).
 */
export type Part = "activity" | "outcomes";
export const PARTS: readonly Part[] = ["activity", "outcomes"];
const OUTCOME_METRICS = new Set(["abandoned", "orders", "first_orders", "revenue", "other_currency"]);
export const partOf = (metric: string): Part => (OUTCOME_METRICS.has(metric) ? "outcomes" : "activity");

const DAY_MS = 86_400_000;
const formats = new Map<string, Intl.DateTimeFormat>();

/** The calendar day (YYYY-MM-DD) `d` falls on in the IANA zone. */
export function localDay(d: Date, zone: string): string {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" });
    formats.set(zone, format);
  }
  return format.format(d);
}

/** Calendar arithmetic on a YYYY-MM-DD day (no zone involved). */
export const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** Where the shop's day `day` begins, as an SQL timestamptz: the zone's midnight, DST included. */
export const dayStartSql = (day: string, zone: string) => sql`(${day}::date::timestamp at time zone ${zone})`;

type Row = Record<string, string>;
const rowsOf = (result: unknown): Row[] => ((result as { rows?: Row[] }).rows ?? (result as Row[]));
type Shop = { shop: string; currency: string; zone: string };
type Range = { from: SQL; to: SQL };
type Push = (r: Row, metric: string, n: string | undefined, reason?: string) => void;

/**
 * One part's counts in the shop's days [fromDay, toDay) by day and campaign, from the base
 * tables by index range scans. activity: decisions (emailed / followup / skipped by reason),
 * clicks and episodes clicked. outcomes: episodes started (abandoned) and orders beside an email
 * or a holdout (reason `<exposure>:credited|uncredited`: orders, first orders of their episode,
 * revenue in the shop's currency, orders in another currency). Refunds: refund-days.ts.
 */
export async function countDays(db: Db, s: Shop, fromDay: string, toDay: string, part: Part): Promise<DailyCount[]> {
  const range = { from: dayStartSql(fromDay, s.zone), to: dayStartSql(toDay, s.zone) };
  const out: DailyCount[] = [];
  const push: Push = (r, metric, n, reason = "") => {
    if (Number(n) !== 0 || metric === "abandoned") out.push({ day: r.day!, campaignId: r.campaign_id!, metric, reason, n: Number(n) });
  };
  if (part === "activity") await activity(db, s, range, push);
  else await outcomes(db, s, range, push);
  return out;
}

async function activity(db: Db, s: Shop, { from, to }: Range, push: Push): Promise<void> {
  // Grouped by the plain columns (a hash of a few dozen groups); sent ones merge below.
  const decisions = await db.execute(sql`select day::text as day, campaign_id, outcome, (step = 0)::text as first_step, reason, n from (
    select (at at time zone ${s.zone})::date as day, campaign_id, outcome, step, coalesce(reason, '') as reason, count(*) as n
      from campaign_decisions
     where shop = ${s.shop} and at >= ${from} and at < ${to} and outcome in ('sent', 'skipped')
     group by 1, 2, 3, 4, 5) t`);
  const merged = new Map<string, { r: Row; metric: string; reason: string; n: number }>();
  for (const r of rowsOf(decisions)) {
    const sent = r.outcome === "sent";
    const metric = sent ? (r.first_step === "true" ? "emailed" : "followup") : "skipped";
    const reason = sent ? "" : r.reason!;
    const key = `${r.day}\n${r.campaign_id}\n${metric}\n${reason}`;
    const found = merged.get(key);
    if (found) found.n += Number(r.n);
    else merged.set(key, { r, metric, reason, n: Number(r.n) });
  }
  for (const m of merged.values()) push(m.r, m.metric, String(m.n), m.reason);
  const clicks = await db.execute(sql`select day::text as day, campaign_id, clicks, clicked from (
    select (at at time zone ${s.zone})::date as day, campaign_id, count(*) as clicks, count(*) filter (where first) as clicked
      from revenue_clicks where shop = ${s.shop} and at >= ${from} and at < ${to} group by 1, 2) t`);
  for (const r of rowsOf(clicks)) for (const metric of ["clicks", "clicked"]) push(r, metric, r[metric]);
}

async function outcomes(db: Db, s: Shop, { from, to }: Range, push: Push): Promise<void> {
  const episodes = await db.execute(sql`select day::text as day, campaign_id, n from (
    select (started_at at time zone ${s.zone})::date as day, campaign_id, count(*) as n
      from campaign_episodes
     where shop = ${s.shop} and started_at >= ${from} and started_at < ${to}
     group by 1, 2) t`);
  for (const r of rowsOf(episodes)) push(r, "abandoned", r.n);
  const orders = await db.execute(sql`select day::text as day, campaign_id, reason, orders, first_orders, revenue, other_currency from (
    select (ordered_at at time zone ${s.zone})::date as day, campaign_id,
           exposure || (case when rule is null then ':uncredited' else ':credited' end) as reason,
           count(*) as orders, count(*) filter (where first_for_episode) as first_orders,
           coalesce(sum(total_minor) filter (where currency = ${s.currency}), 0) as revenue,
           count(*) filter (where currency <> ${s.currency}) as other_currency
      from revenue_orders
     where shop = ${s.shop} and exposure is not null and ordered_at >= ${from} and ordered_at < ${to}
     group by 1, 2, 3) t`);
  for (const r of rowsOf(orders)) for (const metric of ["orders", "first_orders", "revenue", "other_currency"]) push(r, metric, r[metric], r.reason);
}
