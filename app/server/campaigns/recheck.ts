import type { SkipReason } from "@cartback/core/campaign/reasons";
import { purchasedSince } from "@cartback/core/campaign/rules";
import { type Db, campaignEpisodes } from "@cartback/db";
import { eq } from "drizzle-orm";
import type { SchedulerContext } from "./context.ts";
import type { SendRow } from "./decide-due.ts";
import { getCampaign } from "./repository.ts";
import { isSuppressed } from "./suppressions.ts";

/**
 * A retry goes out minutes or hours after its decision: what could have changed since
 * (a purchase, an emptied cart, an unsubscribe, the campaign paused) is checked again first.
 */
export async function retryStillWanted(ctx: SchedulerContext, send: SendRow): Promise<SkipReason | null> {
  const db = ctx.db as Db;
  const campaign = await getCampaign(db, send.shop, send.campaignId);
  if (!campaign?.active) return "campaign_inactive";
  const profile = await ctx.deps.loadProfile(db, send.shop, send.profileId);
  if (!profile) return "profile_missing";
  const [episode] = await db.select({ startedAt: campaignEpisodes.startedAt }).from(campaignEpisodes).where(eq(campaignEpisodes.id, send.episodeId));
  if (episode && purchasedSince(profile, episode.startedAt)) return "purchased";
  if (profile.cart.length === 0 && campaign.settings.emptyCart === "skip") return "cart_empty";
  if (await isSuppressed(db, send.shop, send.toEmail)) return "suppressed";
  return null;
}
