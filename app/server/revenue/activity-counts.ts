import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";

/** Clicks and orders per UTC day and campaign, read live (both tables are far smaller than decisions). */
export interface ClickDay {
  day: string;
  campaignId: string;
  clicks: number;
  /** Episodes whose first click was that day. */
  clickedEpisodes: number;
}

export interface OrderDay {
  day: string;
  campaignId: string;
  exposure: "emailed" | "holdout";
  credited: boolean;
  orders: number;
  /** Orders that were their episode's first: converted episodes. */
  firstOrders: number;
  /** In the shop's currency; orders in another currency are counted apart, never summed in. */
  revenueMinor: number;
  refundedMinor: number;
  otherCurrencyOrders: number;
}

const rowsOf = <T>(result: unknown): T[] => ((result as { rows?: T[] }).rows ?? (result as T[]));

export async function clickDays(db: Db, shop: string, from: Date, to: Date): Promise<ClickDay[]> {
  const result = await db.execute(sql`
    select to_char(at at time zone 'UTC', 'YYYY-MM-DD') as day, campaign_id, count(*) as clicks, count(*) filter (where first) as clicked
      from revenue_clicks where shop = ${shop} and at >= ${from} and at < ${to} group by 1, 2`);
  return rowsOf<Record<string, string>>(result).map((r) => ({ day: r.day!, campaignId: r.campaign_id!, clicks: Number(r.clicks), clickedEpisodes: Number(r.clicked) }));
}

export async function orderDays(db: Db, shop: string, currency: string, from: Date, to: Date): Promise<OrderDay[]> {
  const result = await db.execute(sql`
    select to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD') as day, campaign_id, exposure, rule is not null as credited,
           count(*) as orders, count(*) filter (where first_for_episode) as first_orders,
           coalesce(sum(total_minor) filter (where currency = ${currency}), 0) as revenue,
           coalesce(sum(refunded_minor) filter (where currency = ${currency}), 0) as refunded,
           count(*) filter (where currency <> ${currency}) as other_currency
      from revenue_orders
     where shop = ${shop} and exposure is not null and ordered_at >= ${from} and ordered_at < ${to}
     group by 1, 2, 3, 4`);
  return rowsOf<Record<string, string | boolean>>(result).map((r) => ({
    day: String(r.day),
    campaignId: String(r.campaign_id),
    exposure: r.exposure === "holdout" ? "holdout" : "emailed",
    credited: r.credited === true || r.credited === "t" || r.credited === "true",
    orders: Number(r.orders),
    firstOrders: Number(r.first_orders),
    revenueMinor: Number(r.revenue),
    refundedMinor: Number(r.refunded),
    otherCurrencyOrders: Number(r.other_currency),
  }));
}
