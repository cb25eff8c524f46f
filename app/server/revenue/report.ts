import { type Group, type Lift, holdoutLift } from "@cartback/core/revenue/lift";
import { type Db, campaigns, shops } from "@cartback/db";
import { eq, sql } from "drizzle-orm";
import { type DailyCount, dailyCounts, localDay } from "./daily.ts";
import { addDays } from "./day-counts.ts";
import { refundDays } from "./refund-days.ts";
import { type RuleFigures, ruleCounts } from "./rule-counts.ts";

export interface Figures {
  abandoned: number;
  /** Episodes emailed (first-step sends). */
  emailed: number;
  /** Emails sent, every step. */
  sent: number;
  skipped: Record<string, number>;
  holdout: number;
  clicks: number;
  clickedEpisodes: number;
  recoveredOrders: number;
  recoveredEpisodes: number;
  revenueMinor: number;
  refundedMinor: number;
  netRevenueMinor: number;
  /** Orders following an email / a holdout, credited or not, that were their episode's first. */
  emailedConverted: number;
  holdoutConverted: number;
}

export interface Report {
  shop: string;
  currency: string;
  /** The shop's IANA time zone: days are its calendar days. */
  timezone: string;
  /** First and last day included. */
  from: string;
  to: string;
  totals: Figures;
  days: ({ day: string } & Figures)[];
  campaigns: ({ campaignId: string; name: string } & Figures)[];
  funnel: { abandoned: number; emailed: number; clicked: number; recovered: number };
  lift: { emailed: Group; holdout: Group; result: Lift | null };
  /** Recovered orders and net revenue by the attribution rule that credited them. */
  rules: RuleFigures[];
  otherCurrencyOrders: number;
}

const empty = (): Figures => ({
  abandoned: 0, emailed: 0, sent: 0, skipped: {}, holdout: 0, clicks: 0, clickedEpisodes: 0, recoveredOrders: 0,
  recoveredEpisodes: 0, revenueMinor: 0, refundedMinor: 0, netRevenueMinor: 0, emailedConverted: 0, holdoutConverted: 0,
});

function add(into: Figures, from: Figures): void {
  for (const key of Object.keys(into) as (keyof Figures)[]) {
    if (key === "skipped") for (const [reason, n] of Object.entries(from.skipped)) into.skipped[reason] = (into.skipped[reason] ?? 0) + n;
    else into[key] += from[key];
  }
}

/** The shop's results for its last `days` calendar days (in its time zone) up to `now`, from its own records. */
export async function buildReport(db: Db, shop: string, options: { days: number; now: Date }): Promise<Report | null> {
  const [shopRow] = await db.select({ currency: shops.currency, timezone: shops.timezone }).from(shops).where(eq(shops.shop, shop));
  if (!shopRow) return null;
  const { currency, timezone: zone } = shopRow;
  const today = localDay(options.now, zone);
  const fromDay = addDays(today, -(options.days - 1));
  const toDay = addDays(today, 1);
  const cells = new Map<string, Figures>();
  const cell = (day: string, campaignId: string) => {
    const key = `${day}\n${campaignId}`;
    const found = cells.get(key);
    if (found) return found;
    const f = empty();
    cells.set(key, f);
    return f;
  };
  let otherCurrencyOrders = 0;
  // A few grouped range scans a request. PostgreSQL's JIT (on above its cost threshold) spends
  // more compiling them than running them; and it cannot guess that a day of rows falls into a
  // few dozen groups, so with the default work_mem it sorts them all (on disk, 183 of 186 ms
  // measured at 60,000 decisions) where hashing them takes a pass.
  const { counts, refunds, rules } = await db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('jit', 'off', true), set_config('work_mem', '64MB', true)`);
    return {
      counts: await dailyCounts(tx, shop, currency, zone, fromDay, toDay, options.now),
      refunds: await refundDays(tx, { shop, currency, zone }, fromDay, toDay),
      rules: await ruleCounts(tx, { shop, currency, zone }, fromDay, toDay),
    };
  });
  for (const c of counts) {
    const f = cell(c.day, c.campaignId);
    if (c.metric === "other_currency" && c.reason.endsWith(":credited")) otherCurrencyOrders += c.n;
    else count(f, c);
  }
  for (const r of refunds) {
    const f = cell(r.day, r.campaignId);
    f.refundedMinor += r.refundedMinor;
    f.netRevenueMinor -= r.refundedMinor;
  }
  return { ...(await assemble(db, { shop, currency, zone }, fromDay, today, cells, otherCurrencyOrders)), rules };
}

/** One stored or live count into its day-and-campaign cell (metrics: daily.ts countDays). */
function count(f: Figures, c: DailyCount): void {
  const credited = c.reason.endsWith(":credited");
  const holdout = c.reason.startsWith("holdout:");
  switch (c.metric) {
    case "abandoned":
      f.abandoned += c.n;
      return;
    case "emailed":
      f.emailed += c.n;
      f.sent += c.n;
      return;
    case "followup":
      f.sent += c.n;
      return;
    case "skipped":
      f.skipped[c.reason] = (f.skipped[c.reason] ?? 0) + c.n;
      if (c.reason === "holdout") f.holdout += c.n;
      return;
    case "clicks":
      f.clicks += c.n;
      return;
    case "clicked":
      f.clickedEpisodes += c.n;
      return;
    case "orders":
      if (credited) f.recoveredOrders += c.n;
      return;
    case "first_orders":
      if (holdout) f.holdoutConverted += c.n;
      else f.emailedConverted += c.n;
      if (credited) f.recoveredEpisodes += c.n;
      return;
    case "revenue":
      if (credited) {
        f.revenueMinor += c.n;
        f.netRevenueMinor += c.n;
      }
      return;
    default:
      return;
  }
}

async function assemble(db: Db, { shop, currency, zone }: { shop: string; currency: string; zone: string }, from: string, to: string, cells: Map<string, Figures>, otherCurrencyOrders: number): Promise<Omit<Report, "rules">> {
  const names = new Map((await db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(eq(campaigns.shop, shop))).map((c) => [c.id, c.name]));
  const totals = empty();
  const byDay = new Map<string, Figures>();
  const byCampaign = new Map<string, Figures>();
  for (const [key, f] of cells) {
    const [day, campaignId] = key.split("\n") as [string, string];
    add(totals, f);
    if (!byDay.has(day)) byDay.set(day, empty());
    add(byDay.get(day)!, f);
    if (!byCampaign.has(campaignId)) byCampaign.set(campaignId, empty());
    add(byCampaign.get(campaignId)!, f);
  }
  const emailed = { episodes: totals.emailed, converted: totals.emailedConverted };
  const holdout = { episodes: totals.holdout, converted: totals.holdoutConverted };
  return {
    shop, currency, timezone: zone, from, to, totals, otherCurrencyOrders,
    days: [...byDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, f]) => ({ day, ...f })),
    campaigns: [...byCampaign].map(([campaignId, f]) => ({ campaignId, name: names.get(campaignId) ?? "(deleted campaign)", ...f })),
    funnel: { abandoned: totals.abandoned, emailed: totals.emailed, clicked: totals.clickedEpisodes, recovered: totals.recoveredEpisodes },
    lift: { emailed, holdout, result: holdoutLift(emailed, holdout) },
  };
}
