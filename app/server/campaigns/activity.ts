import { randomUUID } from "node:crypto";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { type EpisodeChange, type EpisodeState, onCartChanged, onCharged, onIdentified, onMerged } from "@cartback/core/campaign/episode";
import type { CartActivity } from "@cartback/core/profile/activity";
import type { Db } from "@cartback/db";
import type { LastEmail } from "@cartback/core/campaign/last-email";
import { type EpisodeRow, type NewEpisode, type StoredEmail, endedEpisodes, episodeState, insertEpisodes, lastEmails, lastStarts, lockLiveEpisodes, moveToSurvivors, writeEpisodeStates } from "./episodes.ts";
import { closedAtIngest } from "./closed-at-ingest.ts";
import { recordDecisions } from "./decisions.ts";
import { listCampaigns } from "./repository.ts";

/**
 * Called by ingest inside the transaction that applied the events, so an episode opens,
 * debounces or ends exactly when the cart change it follows is committed. A constant number
 * of statements per shop, however many activities: the shop's campaigns and the touched
 * profiles' episodes are read once, the activities are applied in order to those rows in
 * memory (each one sees what the previous ones did), and the result is written back.
 */
export async function handleCartActivity(tx: Db, activities: CartActivity[]): Promise<void> {
  const byShop = new Map<string, CartActivity[]>();
  for (const activity of activities) {
    const list = byShop.get(activity.shop);
    if (list) list.push(activity);
    else byShop.set(activity.shop, [activity]);
  }
  for (const [shop, list] of byShop) await handleShop(tx, shop, list);
}

/** An episode as this batch left it; `dirty` once an activity wrote it; `wasLive`: open or waiting before. */
export interface Episode extends NewEpisode {
  stored: boolean;
  dirty: boolean;
  wasLive: boolean;
}

type CartChanged = Extract<CartActivity, { kind: "cart_changed" }>;
type Merged = Extract<CartActivity, { kind: "merged" }>;

async function handleShop(tx: Db, shop: string, activities: CartActivity[]) {
  const touched = new Set<string>();
  const merging = new Set<string>();
  for (const a of activities) {
    touched.add(a.profileId);
    if (a.kind !== "merged") continue;
    for (const id of [a.profileId, ...a.mergedIds]) {
      touched.add(id);
      merging.add(id);
    }
  }
  const campaigns = await listCampaigns(tx, shop);
  // Live rows are locked for the whole batch: a worker deciding one finishes before this
  // reads it, and none decides one between this read and the write at the end.
  const episodes: Episode[] = (await lockLiveEpisodes(tx, shop, [...touched])).map(fromRow);
  // Merges weigh episodes that ended while another was running; read them from the earliest
  // start one could have (a stored live episode or one this batch opens), filter exactly later.
  if (merging.size > 0) {
    const starts = [...episodes.map((e) => e.state.startedAt.getTime()), ...activities.filter((a) => a.kind === "cart_changed").map((a) => a.at.getTime())];
    if (starts.length > 0) episodes.push(...(await endedEpisodes(tx, shop, [...merging], new Date(Math.min(...starts)))).map(fromRow));
  }
  // Latest start per profile and campaign, for cool-downs: only an add can open an episode.
  const cooling = campaigns.some((c) => c.active && c.settings.cooldownMs > 0);
  const adders = activities.filter((a) => a.kind === "cart_changed" && a.added).map((a) => a.profileId);
  const starts = cooling && adders.length > 0 ? await lastStarts(tx, shop, [...new Set([...adders, ...merging])]) : [];
  // What each changed cart's last email showed: a late change it already showed opens nothing.
  const changers = activities.filter((a) => a.kind === "cart_changed").map((a) => a.profileId);
  const emails = changers.length > 0 && campaigns.length > 0 ? await lastEmails(tx, shop, [...new Set([...changers, ...merging])]) : [];

  const batch = new ShopBatch(shop, campaigns, episodes, starts, emails);
  for (const activity of activities) batch.apply(activity);

  const writes = episodes.filter((e) => e.stored && e.dirty);
  await writeEpisodeStates(tx, writes);
  // One statement moves every stored row to its last survivor, unless a profile merged away
  // absorbs others later (B into C, then A into B): its own stored rows leave while others'
  // arrive, and the unique open-episode index is checked row by row, so that goes merge by merge.
  const moves = [...batch.moves].filter(([from, to]) => from !== to);
  const chained = moves.some(([, to]) => batch.moves.has(to) && batch.moves.get(to) !== to);
  for (const step of chained ? batch.merges : [new Map(moves)]) await moveToSurvivors(tx, shop, step);
  // After the writes above, so an episode this batch ended no longer holds the one-open slot.
  await insertEpisodes(tx, episodes.filter((e) => !e.stored));
  // Ended here, before any step came due: "why no email?" is answered on the timeline too.
  await recordDecisions(tx, closedAtIngest(episodes));
}

function fromRow(row: EpisodeRow): Episode {
  const { id, shop, campaignId, profileId, closedAt } = row;
  return { id, shop, campaignId, profileId, state: episodeState(row), closedAt, stored: true, dirty: false, wasLive: row.status !== "closed" };
}

/** One shop's activities applied in order to its episodes, in memory. */
class ShopBatch {
  /** Stored profile → the profile its stored rows end up with after this batch's merges. */
  readonly moves = new Map<string, string>();
  /** Each merge's own moves, in order. */
  readonly merges: Map<string, string>[] = [];
  private readonly byId: Map<string, Campaign>;

  constructor(
    private readonly shop: string,
    private readonly campaigns: Campaign[],
    private readonly episodes: Episode[],
    private readonly starts: { profileId: string; campaignId: string; startedAt: Date }[],
    private readonly emails: StoredEmail[],
  ) {
    this.byId = new Map(campaigns.map((c) => [c.id, c]));
  }

  apply(activity: CartActivity) {
    switch (activity.kind) {
      case "cart_changed":
        return this.cartChanged(activity);
      case "charged":
        for (const e of this.live([activity.profileId])) this.update(e, onCharged(e.state, activity.at), activity.at);
        return;
      case "identified":
        for (const e of this.live([activity.profileId])) this.update(e, onIdentified(e.state, activity.at), activity.at);
        return;
      case "merged":
        return this.merged(activity);
      default: {
        const unreachable: never = activity;
        throw new Error(`unknown activity ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private live(profileIds: string[]) {
    return this.episodes.filter((e) => e.state.status !== "closed" && profileIds.includes(e.profileId));
  }

  private cartChanged(activity: CartChanged) {
    const { profileId, at } = activity;
    const live = this.live([profileId]);
    for (const campaign of this.campaigns) {
      const open = live.find((e) => e.campaignId === campaign.id) ?? null;
      const needsLast = !open && campaign.active && activity.added && campaign.settings.cooldownMs > 0;
      const last = needsLast ? this.lastStartedAt(campaign.id, profileId) : null;
      const change = onCartChanged(campaign, open ? open.state : null, last, activity, this.lastEmail(campaign.id, profileId));
      switch (change.type) {
        case "none":
          break;
        case "open":
          this.open(campaign.id, profileId, change.episode);
          break;
        case "update":
          if (open) this.write(open, change.episode, at);
          break;
        case "replace":
          if (open) this.write(open, change.closed, at);
          this.open(campaign.id, profileId, change.episode);
          break;
        default: {
          const unreachable: never = change;
          throw new Error(`unknown change ${JSON.stringify(unreachable)}`);
        }
      }
    }
  }

  private lastStartedAt(campaignId: string, profileId: string): Date | null {
    let last: number | null = null;
    for (const e of [...this.starts, ...this.episodes.map((e) => ({ ...e, startedAt: e.state.startedAt }))]) {
      if (e.campaignId === campaignId && e.profileId === profileId && (last === null || e.startedAt.getTime() > last)) last = e.startedAt.getTime();
    }
    return last === null ? null : new Date(last);
  }

  /** The latest email of this campaign to this profile or to profiles merged into it. */
  private lastEmail(campaignId: string, profileId: string): LastEmail | null {
    let last: StoredEmail | null = null;
    for (const e of this.emails) {
      if (e.campaignId === campaignId && e.profileId === profileId && (!last || e.at.getTime() > last.at.getTime())) last = e;
    }
    return last;
  }

  private open(campaignId: string, profileId: string, state: EpisodeState) {
    this.episodes.push({ id: randomUUID(), shop: this.shop, campaignId, profileId, state, closedAt: null, stored: false, dirty: true, wasLive: true });
  }

  private update(e: Episode, change: EpisodeChange, at: Date) {
    if (change.type === "update") this.write(e, change.episode, at);
  }

  /** As `writeEpisode`: the end time is the activity's when the episode is closed. */
  private write(e: Episode, state: EpisodeState, at: Date) {
    e.state = state;
    e.closedAt = state.status === "closed" ? at : null;
    e.dirty = true;
  }

  /**
   * Episodes and history of the merged profiles move to the survivor; per campaign, their
   * episodes become one (`onMerged`: one email per step for the shopper, whichever device's
   * episode sent it).
   */
  private merged(activity: Merged) {
    const { profileId, mergedIds, at } = activity;
    const ids = [profileId, ...mergedIds];
    const live = this.live(ids);
    if (live.length > 0) {
      const since = Math.min(...live.map((e) => e.state.startedAt.getTime()));
      const ended = this.episodes.filter((e) => e.state.status === "closed" && ids.includes(e.profileId) && e.closedAt !== null && e.closedAt.getTime() >= since);
      const byCampaign = new Map<string, Episode[]>();
      for (const e of [...live, ...ended]) byCampaign.set(e.campaignId, [...(byCampaign.get(e.campaignId) ?? []), e]);
      for (const [campaignId, rows] of byCampaign) {
        // A deleted campaign has no steps left: its episodes end here as merged.
        const campaign = this.byId.get(campaignId) ?? { steps: [] };
        const byEpisode = new Map(rows.map((e) => [e.id, e]));
        for (const w of onMerged(campaign, rows)) this.write(byEpisode.get(w.id)!, w.episode, at);
      }
    }
    const moved = new Set(mergedIds);
    for (const e of [...this.episodes, ...this.starts, ...this.emails]) if (moved.has(e.profileId)) e.profileId = profileId;
    // `moves` follows stored rows: a profile merged away twice has no stored rows left the second time.
    for (const [from, to] of this.moves) if (moved.has(to)) this.moves.set(from, profileId);
    for (const id of mergedIds) if (!this.moves.has(id)) this.moves.set(id, profileId);
    this.merges.push(new Map(mergedIds.map((id) => [id, profileId])));
  }
}
