import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";
import { dayStartSql } from "./day-counts.ts";

/** Recovered orders credited by one attribution rule (revenue_orders.rule) in the report's days. */
export interface RuleFigures {
  rule: string;
  orders: number;
  revenueMinor: number;
  refundedMinor: number;
  netRevenueMinor: number;
}

/** Order of the rules as the merchant reads them: the strongest evidence first. */
const RULE_ORDER = ["discount_code", "cart_token", "checkout_token", "click"];
const rank = (rule: string) => (RULE_ORDER.includes(rule) ? RULE_ORDER.indexOf(rule) : RULE_ORDER.length);

/**
 * Credited orders per rule over the shop's days [fromDay, toDay), counted as the report counts
 * them: orders placed in the days (any currency), their revenue in the shop's currency, less
 * refunds of credited orders dated in the days. One grouped statement over the order range the
 * report's live count reads (the rollup has no rule) plus the refund range refund-days.ts reads.
 */
export async function ruleCounts(db: Db, s: { shop: string; currency: string; zone: string }, fromDay: string, toDay: string): Promise<RuleFigures[]> {
  const from = dayStartSql(fromDay, s.zone);
  const to = dayStartSql(toDay, s.zone);
  const result = await db.execute(sql`
    select rule, sum(orders) as orders, sum(revenue) as revenue, sum(refunded) as refunded from (
      select rule, count(*) as orders, coalesce(sum(total_minor) filter (where currency = ${s.currency}), 0) as revenue, 0 as refunded
        from revenue_orders
       where shop = ${s.shop} and exposure is not null and rule is not null and ordered_at >= ${from} and ordered_at < ${to}
       group by rule
      union all
      select o.rule, 0, 0, sum(r.amount_minor)
        from revenue_refunds r
        join revenue_orders o on o.shop = r.shop and o.order_id = r.order_id
       where r.shop = ${s.shop} and r.at >= ${from} and r.at < ${to} and o.rule is not null and o.currency = ${s.currency}
       group by o.rule) t
    group by rule`);
  const rows = (result as { rows?: Record<string, string>[] }).rows ?? (result as unknown as Record<string, string>[]);
  return rows
    .map((r) => {
      const revenueMinor = Number(r.revenue);
      const refundedMinor = Number(r.refunded);
      return { rule: r.rule!, orders: Number(r.orders), revenueMinor, refundedMinor, netRevenueMinor: revenueMinor - refundedMinor };
    })
    .sort((a, b) => rank(a.rule) - rank(b.rule) || a.rule.localeCompare(b.rule));
}
