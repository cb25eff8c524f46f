import type { Campaign } from "@cartback/core/campaign/campaign";
import { type EpisodeChange, onCartChanged, onCharged, onIdentified } from "@cartback/core/campaign/episode";
import type { CartActivity } from "@cartback/core/profile/activity";
import { type Db, campaignDecisions, campaignEpisodes, campaignSends } from "@cartback/db";
import { and, eq, inArray } from "drizzle-orm";
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
 * Episodes and history of the merged profiles move to the survivor. Where several were open
 * for one campaign, the earliest stays (it is the shopper's real abandonment) and takes the
 * latest cart change; the others end as `merged`.
 */
async function merged(tx: Db, activity: Merged) {
  const { shop, profileId, mergedIds } = activity;
  const live = await liveEpisodes(tx, shop, [profileId, ...mergedIds]);
  const byCampaign = new Map<string, EpisodeRow[]>();
  for (const row of live) byCampaign.set(row.campaignId, [...(byCampaign.get(row.campaignId) ?? []), row]);
  for (const rows of byCampaign.values()) {
    rows.sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
    const [keep, ...rest] = rows;
    if (!keep || rest.length === 0) continue;
    for (const row of rest) await writeEpisode(tx, row.id, { ...episodeState(row), status: "closed", dueAt: null, closedReason: "merged" }, activity.at);
    const latest = rows.reduce((a, b) => (b.lastChangeAt > a.lastChangeAt ? b : a));
    const dueAts = rows.map((r) => r.dueAt?.getTime() ?? 0);
    const state = episodeState(keep);
    const dueAt = state.status === "open" ? new Date(Math.max(...dueAts)) : state.dueAt;
    await writeEpisode(tx, keep.id, { ...state, lastChangeAt: latest.lastChangeAt, dueAt }, activity.at);
  }
  const moved = inArray(campaignEpisodes.profileId, mergedIds);
  await tx.update(campaignEpisodes).set({ profileId }).where(and(eq(campaignEpisodes.shop, shop), moved));
  await tx.update(campaignDecisions).set({ profileId }).where(and(eq(campaignDecisions.shop, shop), inArray(campaignDecisions.profileId, mergedIds)));
  await tx.update(campaignSends).set({ profileId }).where(and(eq(campaignSends.shop, shop), inArray(campaignSends.profileId, mergedIds)));
}
