import type { Campaign } from "@cartback/core/campaign/campaign";
import { type EpisodeChange, onCartChanged, onCharged, onIdentified, onMerged } from "@cartback/core/campaign/episode";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, campaignDecisions, campaignEpisodes, campaignSends } from "@cartback/db";
import { and, eq, gte, inArray, ne } from "drizzle-orm";
import { type EpisodeRow, episodeState, insertEpisode, lastStartedAt, liveEpisodes, writeEpisode } from "./episodes.ts";
import { listCampaigns } from "./repository.ts";

/**
 * Called by ingest inside the transaction that applied the events, so an episode opens,
 * debounces or ends exactly when the cart change it follows is committed. A few indexed
 * reads and one write per live episode: cheap enough for every event.
 */
export async function handleCartActivity(tx: Db, activities: CartActivity[]): Promise<void> {
  for (const activity of activities) {
    switch (activity.kind) {
      case "cart_changed":
        await cartChanged(tx, activity);
        break;
      case "charged":
        await eachLive(tx, activity.shop, [activity.profileId], activity.at, (row) => onCharged(episodeState(row), activity.at));
        break;
      case "identified":
        await eachLive(tx, activity.shop, [activity.profileId], activity.at, (row) => onIdentified(episodeState(row), activity.at));
        break;
      case "merged":
        await merged(tx, activity);
        break;
      default: {
        const unreachable: never = activity;
        throw new Error(`unknown activity ${JSON.stringify(unreachable)}`);
      }
    }
  }
}

type CartChanged = Extract<CartActivity, { kind: "cart_changed" }>;

async function cartChanged(tx: Db, activity: CartChanged) {
  const { shop, profileId } = activity;
  const [campaigns, live] = [await listCampaigns(tx, shop), await liveEpisodes(tx, shop, [profileId])];
  for (const campaign of campaigns) {
    const open = live.find((row) => row.campaignId === campaign.id) ?? null;
    const needsLast = !open && campaign.active && activity.added && campaign.settings.cooldownMs > 0;
    const last = needsLast ? await lastStartedAt(tx, shop, campaign.id, profileId) : null;
    const change = onCartChanged(campaign, open ? episodeState(open) : null, last, activity);
    await apply(tx, campaign, profileId, open, change, activity.at);
  }
}

async function apply(tx: Db, campaign: Campaign, profileId: string, row: EpisodeRow | null, change: EpisodeChange, at: Date) {
  const key = { shop: campaign.shop, campaignId: campaign.id, profileId };
  switch (change.type) {
    case "none":
      return;
    case "open":
      return insertEpisode(tx, key, change.episode);
    case "update":
      if (row) await writeEpisode(tx, row.id, change.episode, at);
      return;
    case "replace":
      if (row) await writeEpisode(tx, row.id, change.closed, at);
      return insertEpisode(tx, key, change.episode);
    default: {
      const unreachable: never = change;
      throw new Error(`unknown change ${JSON.stringify(unreachable)}`);
    }
  }
}

async function eachLive(tx: Db, shop: string, profileIds: string[], at: Date, fn: (row: EpisodeRow) => EpisodeChange) {
  for (const row of await liveEpisodes(tx, shop, profileIds)) {
    const change = fn(row);
    if (change.type === "update") await writeEpisode(tx, row.id, change.episode, at);
  }
}

type Merged = Extract<CartActivity, { kind: "merged" }>;

/**
 * Episodes and history of the merged profiles move to the survivor; per campaign, their
 * episodes become one (`onMerged`: one email per step for the shopper, whichever device's
 * episode sent it). The live rows are locked first, so a worker deciding one of them
 * finishes before the merge reads it.
 */
async function merged(tx: Db, activity: Merged) {
  const { shop, profileId, mergedIds } = activity;
  const ids = [profileId, ...mergedIds];
  const live = await tx
    .select()
    .from(campaignEpisodes)
    .where(and(eq(campaignEpisodes.shop, shop), inArray(campaignEpisodes.profileId, ids), ne(campaignEpisodes.status, "closed")))
    .for("update");
  if (live.length > 0) {
    const since = new Date(Math.min(...live.map((r) => r.startedAt.getTime())));
    const ended = await tx
      .select()
      .from(campaignEpisodes)
      .where(and(eq(campaignEpisodes.shop, shop), inArray(campaignEpisodes.profileId, ids), eq(campaignEpisodes.status, "closed"), gte(campaignEpisodes.closedAt, since)));
    const campaigns = new Map((await listCampaigns(tx, shop)).map((c) => [c.id, c]));
    const byCampaign = new Map<string, EpisodeRow[]>();
    for (const row of [...live, ...ended]) byCampaign.set(row.campaignId, [...(byCampaign.get(row.campaignId) ?? []), row]);
    for (const [campaignId, rows] of byCampaign) {
      const episodes = rows.map((row) => ({ id: row.id, profileId: row.profileId, state: episodeState(row), closedAt: row.closedAt }));
      // A deleted campaign has no steps left: its episodes end here as merged.
      const campaign = campaigns.get(campaignId) ?? { steps: [] };
      for (const write of onMerged(campaign, episodes)) await writeEpisode(tx, write.id, write.episode, activity.at);
    }
  }
  const moved = inArray(campaignEpisodes.profileId, mergedIds);
  await tx.update(campaignEpisodes).set({ profileId }).where(and(eq(campaignEpisodes.shop, shop), moved));
  await tx.update(campaignDecisions).set({ profileId }).where(and(eq(campaignDecisions.shop, shop), inArray(campaignDecisions.profileId, mergedIds)));
  await tx.update(campaignSends).set({ profileId }).where(and(eq(campaignSends.shop, shop), inArray(campaignSends.profileId, mergedIds)));
}
