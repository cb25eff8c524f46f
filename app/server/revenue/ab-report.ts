import { type AbResult, type VariantSample, compareVariants } from "@cartback/core/revenue/ab";
import { type Db, campaigns, shops } from "@cartback/db";
import { eq, sql } from "drizzle-orm";

/** One A/B-tested step: each variant's recipients, recovered orders and revenue, and the comparison. */
export interface AbStep {
  campaignId: string;
  name: string;
  step: number;
  a: VariantSample;
  b: VariantSample;
  result: AbResult;
}

type Row = { campaign_id: string; step: number; variant: string; recipients: string | number; converted: string | number; orders: string | number; revenue: string | number; squares: string | number };
const rowsOf = (result: unknown): Row[] => ((result as { rows?: Row[] }).rows ?? (result as Row[]));

const emptySample = (): VariantSample => ({ recipients: 0, converted: 0, orders: 0, revenueMinor: 0, revenueSquares: 0 });

/**
 * Steps with variant sends in the last `days` days up to `now`. A recipient is an episode the
 * step was sent to; its outcome is the episode's credited orders (any rule), net of refunds,
 * whenever they came: the split is per episode, so the whole episode's revenue is the measure.
 * Revenue counts orders in the shop's currency only (as the report does).
 */
export async function abReport(db: Db, shop: string, options: { days: number; now: Date }): Promise<AbStep[]> {
  const [shopRow] = await db.select({ currency: shops.currency }).from(shops).where(eq(shops.shop, shop));
  if (!shopRow) return [];
  const from = new Date(options.now.getTime() - options.days * 86_400_000);
  // Orders first, per credited episode (few), then one pass over the step's sends grouped by
  // variant: each (episode, step) has one send, so no per-episode grouping of the sends is needed
  // (3× faster than grouping them: 1M sends, 333k in tests, 90 days, PostgreSQL at load 16-20).
  const result = await db.execute(sql`
    with credited as (
      select o.episode_id, count(*) as orders,
        coalesce(sum(o.total_minor - o.refunded_minor) filter (where o.currency = ${shopRow.currency}), 0) as revenue
      from revenue_orders o
      where o.shop = ${shop} and o.episode_id is not null and o.rule is not null
      group by o.episode_id
    )
    select s.campaign_id, s.step, s.variant, count(*) as recipients, count(c.episode_id) as converted,
      coalesce(sum(c.orders), 0) as orders, coalesce(sum(c.revenue), 0) as revenue,
      coalesce(sum(c.revenue::float8 * c.revenue::float8), 0) as squares
    from campaign_sends s
    left join credited c on c.episode_id = s.episode_id
    where s.shop = ${shop} and s.created_at >= ${from} and s.created_at <= ${options.now}
      and s.status = 'sent' and s.variant is not null
    group by s.campaign_id, s.step, s.variant`);
  const names = new Map((await db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(eq(campaigns.shop, shop))).map((c) => [c.id, c.name]));
  const steps = new Map<string, { campaignId: string; step: number; a: VariantSample; b: VariantSample }>();
  for (const row of rowsOf(result)) {
    const key = `${row.campaign_id}\n${row.step}`;
    const entry = steps.get(key) ?? { campaignId: row.campaign_id, step: Number(row.step), a: emptySample(), b: emptySample() };
    steps.set(key, entry);
    const sample = { recipients: Number(row.recipients), converted: Number(row.converted), orders: Number(row.orders), revenueMinor: Number(row.revenue), revenueSquares: Number(row.squares) };
    if (row.variant === "B") entry.b = sample;
    else entry.a = sample;
  }
  return [...steps.values()]
    .map((s) => ({ ...s, name: names.get(s.campaignId) ?? "(deleted campaign)", result: compareVariants(s.a, s.b) }))
    .sort((x, y) => x.name.localeCompare(y.name) || x.campaignId.localeCompare(y.campaignId) || x.step - y.step);
}
