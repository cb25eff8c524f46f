import type { CloseReason } from "@cartback/core/campaign/reasons";
import type { Episode } from "./activity.ts";
import type { DecisionRecord } from "./decisions.ts";

/** What the timeline says about an episode that ingest ended before its step came due. */
const DETAIL: Partial<Record<CloseReason, string>> = {
  purchased: "ended at ingest: the order came before the email was due",
  cart_emptied: "ended at ingest: the cart was emptied before the email was due",
  merged: "ended at ingest: the shopper's profiles merged; the earliest episode of this campaign goes on",
  max_age: "ended at ingest: a cart change came after the episode's max age and starts a new one",
  already_emailed: "ended at ingest: the cart went back to what the last email showed",
  campaign_inactive: "ended at ingest: the campaign was deleted",
};

/**
 * A decision for each episode this ingest batch ended (it was live, or opened by the batch,
 * and is closed now): outcome `closed`, the close reason as its reason, at the activity's time.
 */
export function closedAtIngest(episodes: Episode[]): DecisionRecord[] {
  return episodes
    .filter((e) => e.dirty && e.wasLive && e.state.status === "closed")
    .map((e) => ({
      shop: e.shop,
      profileId: e.profileId,
      campaignId: e.campaignId,
      episodeId: e.id,
      step: e.state.nextStep,
      at: e.closedAt ?? e.state.lastChangeAt,
      outcome: "closed" as const,
      reason: e.state.closedReason,
      detail: (e.state.closedReason && DETAIL[e.state.closedReason]) ?? "ended at ingest",
    }));
}
