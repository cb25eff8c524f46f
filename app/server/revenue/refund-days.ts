import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";

export interface RefundDay {
  day: string;
  campaignId: string;
  refundedMinor: number;
}

/**
 * Refunds of credited orders per UTC day of the refund and campaign, in the shop's currency,
 * read live: a refund comes weeks after its order, so it is netted on its own day (as
 * Shopify's sales reports do) and settled days' rollups never change.
 */
export async function refundDays(db: Db, shop: string, currency: string, from: Date, to: Date): Promise<RefundDay[]> {
  const result = await db.execute(sql`
    select to_char(r.at at time zone 'UTC', 'YYYY-MM-DD') as day, o.campaign_id, sum(r.amount_minor) as refunded
      from revenue_refunds r
      join revenue_orders o on o.shop = r.shop and o.order_id = r.order_id
     where r.shop = ${shop} and r.at >= ${from} and r.at < ${to} and o.rule is not null and o.currency = ${currency}
     group by 1, 2`);
  const rows = ((result as { rows?: Record<string, string>[] }).rows ?? (result as unknown as Record<string, string>[]));
  return rows.map((r) => ({ day: r.day!, campaignId: r.campaign_id!, refundedMinor: Number(r.refunded) }));
}
