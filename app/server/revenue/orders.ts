import type { ChargedAmount } from "@cartback/core/events/charged-amount";
import { type Attribution, attributeOrder } from "@cartback/core/revenue/attribution";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, revenueOrders, shops } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { loadAttributionInput } from "./order-facts.ts";
import { netRefunds } from "./refunds.ts";
import { DAY_MS, revenueSettingsOf } from "./settings.ts";

type Charged = Extract<CartActivity, { kind: "charged" }>;

/**
 * The campaign hook's second half: every order ingest reports (a profile's new Charged,
 * whichever source brought it) is recorded once, with the email it is credited to, in the
 * ingest transaction. The primary key (shop, order id) makes a second source of the same
 * order, or a retried batch, change nothing.
 */
export async function recordCharges(tx: Db, activities: CartActivity[]): Promise<void> {
  const charged = activities.filter((a): a is Charged => a.kind === "charged");
  for (const activity of charged) await recordCharge(tx, activity);
}

async function recordCharge(tx: Db, activity: Charged): Promise<void> {
  const { shop, profileId, orderId } = activity;
  const [shopRow] = await tx.select({ currency: shops.currency, settings: shops.settings }).from(shops).where(eq(shops.shop, shop));
  const facts = await loadAttributionInput(tx, shop, profileId, orderId, activity.at);
  const windowMs = revenueSettingsOf(shopRow?.settings).attributionWindowDays * DAY_MS;
  const result: Attribution = attributeOrder({ ...facts.input, windowMs });
  const episodeId = result.exposure?.episodeId ?? null;
  if (episodeId) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`order-episode:${shop}:${episodeId}`}))`);
  const [earlier] = episodeId
    ? await tx.select({ orderId: revenueOrders.orderId }).from(revenueOrders).where(and(eq(revenueOrders.shop, shop), eq(revenueOrders.episodeId, episodeId))).limit(1)
    : [];
  await tx
    .insert(revenueOrders)
    .values({
      shop,
      orderId,
      profileId,
      orderedAt: activity.at,
      ...money(facts.amount, shopRow?.currency ?? "USD"),
      rule: result.credit?.rule ?? null,
      sendId: result.credit?.sendId ?? null,
      exposure: result.exposure?.type ?? null,
      campaignId: result.exposure?.campaignId ?? null,
      episodeId,
      firstForEpisode: episodeId !== null && !earlier,
    })
    .onConflictDoNothing();
  // A refund delivered before its order (webhooks arrive in any order) is netted now.
  await netRefunds(tx, shop, orderId);
}

/**
 * ISO 4217's code for "no currency". Every Results figure sums only the shop's currency, so an
 * order whose amount no source gave (a custom Charged with unpriced lines) is counted as
 * recovered but never added to the revenue as 0.00, as orders in another currency already are.
 */
export const UNKNOWN_AMOUNT_CURRENCY = "XXX";

function money(amount: ChargedAmount, shopCurrency: string): { totalMinor: number; currency: string } {
  if (amount.type === "unknown") return { totalMinor: 0, currency: UNKNOWN_AMOUNT_CURRENCY };
  return { totalMinor: amount.minor, currency: amount.currency ?? shopCurrency };
}
