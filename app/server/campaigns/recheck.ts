import type { SkipReason } from "@cartback/core/campaign/reasons";
import { retryStillWanted as stillWanted } from "@cartback/core/campaign/rules";
import { type Db, campaignEpisodes } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import type { SchedulerContext } from "./context.ts";
import { profileKey } from "./deps.ts";
import { type SendRow, queuedPurchase } from "./decide-due.ts";
import { getCampaign } from "./repository.ts";
import { loadShopContext } from "./shop-context.ts";
import { isSuppressed } from "./suppressions.ts";

/**
 * A retry goes out minutes or hours after its decision: what could have changed since (a
 * purchase, an emptied cart, an unsubscribe or withdrawn consent, the campaign paused, the
 * app uninstalled) is
 * decided again by core's rules (rules.ts retryStillWanted) from live state.
 */
export async function retryStillWanted(ctx: SchedulerContext, send: SendRow): Promise<SkipReason | null> {
  const db = ctx.db as Db;
  const campaign = await getCampaign(db, send.shop, send.campaignId);
  if (!campaign) return "campaign_inactive";
  const [episode] = await db
    .select({ startedAt: campaignEpisodes.startedAt })
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, send.shop), eq(campaignEpisodes.id, send.episodeId)));
  const [profiles, suppressed, shop] = await Promise.all([
    ctx.deps.loadProfiles(db, [send]),
    isSuppressed(db, send.shop, send.toEmail),
    loadShopContext(db, send.shop),
  ]);
  return stillWanted({
    now: ctx.now(),
    campaign,
    // An episode removed since (shop redaction) leaves the send's own time as its start.
    episode: { startedAt: episode?.startedAt ?? send.createdAt, nextStep: send.step },
    profile: profiles.get(profileKey(send.shop, send.profileId)) ?? null,
    shopTimezone: shop.timezone,
    suppressed,
    shopUninstalled: shop.uninstalled === true,
  });
}

/**
 * Whether a purchase by this shopper waits in an inbox, acknowledged but not applied yet (a
 * burst): its buyer keys (purchase_keys) name one of the profile's identities. A send then
 * waits for it rather than mail someone who has bought (decide-due.ts holds due steps alike).
 */
export async function purchaseQueued(db: Db, shop: string, profileId: string): Promise<boolean> {
  const result = (await db.execute(sql`select ${queuedPurchase(shop, profileId)} as queued`)) as unknown as { rows: { queued: boolean }[] };
  return result.rows[0]?.queued === true;
}
