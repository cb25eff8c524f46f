import type { Db } from "@cartback/db";
import { sql } from "drizzle-orm";
import type { AbRow } from "./ab-rows.ts";

/**
 * The A/B figures counted from the base tables alone, as the report did before the rollup
 * (every credited order of the shop aggregated per episode, joined to the period's sends):
 * the reference the rollup is tested against, and the bench's baseline. Not for requests.
 */
export async function abRowsFromScratch(db: Db, shop: string, currency: string, from: Date, to: Date): Promise<AbRow[]> {
  const result = await db.execute(sql`
    with credited as (
      select o.episode_id, count(*) as orders, coalesce(sum(o.total_minor - o.refunded_minor) filter (where o.currency = ${currency}), 0) as revenue
        from revenue_orders o where o.shop = ${shop} and o.episode_id is not null and o.rule is not null group by o.episode_id
    )
    select s.campaign_id, s.step, s.variant, count(*) as recipients, count(c.episode_id) as converted, coalesce(sum(c.orders), 0) as orders,
      coalesce(sum(c.revenue), 0) as revenue, coalesce(sum(c.revenue::numeric * c.revenue), 0) as squares
    from campaign_sends s left join credited c on c.episode_id = s.episode_id
    where s.shop = ${shop} and s.created_at >= ${from} and s.created_at < ${to} and s.status = 'sent' and s.variant is not null
    group by s.campaign_id, s.step, s.variant`);
  return ((result as { rows?: AbRow[] }).rows ?? (result as unknown as AbRow[]));
}
