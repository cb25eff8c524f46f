import { type AbResult, type VariantSample, compareVariants } from "@cartback/core/revenue/ab";
import { type Db, campaigns, shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { abRows } from "./ab-rows.ts";
import { reportPeriod } from "./period.ts";

/** One A/B-tested step: each variant's recipients, recovered orders and revenue, and the comparison. */
export interface AbStep {
  campaignId: string;
  name: string;
  step: number;
  a: VariantSample;
  b: VariantSample;
  result: AbResult;
}

const emptySample = (): VariantSample => ({ recipients: 0, converted: 0, orders: 0, revenueMinor: 0, revenueSquares: 0 });

/**
 * Steps with variant sends in the report's period: the shop's last `days` calendar days in its
 * time zone up to `now` (as buildReport counts them). A recipient is an episode the step was
 * sent to; its outcome is the episode's credited orders (any rule), net of refunds, whenever
 * they came: the split is per episode, so the whole episode's revenue is the measure. Revenue
 * counts orders in the shop's currency only (as the report does).
 */
export async function abReport(db: Db, shop: string, options: { days: number; now: Date }): Promise<AbStep[]> {
  const [shopRow] = await db.select({ timezone: shops.timezone }).from(shops).where(eq(shops.shop, shop));
  if (!shopRow) return [];
  const { from, to } = await reportPeriod(db, shopRow.timezone, options);
  const rows = await abRows(db, shop, from, to);
  const names = new Map((await db.select({ id: campaigns.id, name: campaigns.name }).from(campaigns).where(eq(campaigns.shop, shop))).map((c) => [c.id, c.name]));
  const steps = new Map<string, { campaignId: string; step: number; a: VariantSample; b: VariantSample }>();
  for (const row of rows) {
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
