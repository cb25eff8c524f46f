import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";
import { dayStartSql } from "./day-counts.ts";

export interface RefundDay {
  day: string;
  campaignId: string;
  refundedMinor: number;
}

/**
 * Refunds of credited orders per day of the refund (in the shop's time zone) and campaign, in
 * the shop's currency, read live over the shop's days [fromDay, toDay): a refund comes weeks
 * after its order, so it is netted on its own day (as Shopify's sales reports do) and settled
 * days' rollups never change.
 */
export async function refundDays(db: Db, s: { shop: string; currency: string; zone: string }, fromDay: string, toDay: string): Promise<RefundDay[]> {
  const result = await db.execute(sql`
    select (r.at at time zone ${s.zone})::date::text as day, o.campaign_id, sum(r.amount_minor) as refunded
      from revenue_refunds r
      join revenue_orders o on o.shop = r.shop and o.order_id = r.order_id
     where r.shop = ${s.shop} and r.at >= ${dayStartSql(fromDay, s.zone)} and r.at < ${dayStartSql(toDay, s.zone)} and o.rule is not null and o.currency = ${s.currency}
     group by 1, 2`);
  const rows = ((result as { rows?: Record<string, string>[] }).rows ?? (result as unknown as Record<string, string>[]));
  return rows.map((r) => ({ day: r.day!, campaignId: r.campaign_id!, refundedMinor: Number(r.refunded) }));
}
