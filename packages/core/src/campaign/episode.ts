import type { CartActivity } from "../profile/activity.ts";
import { type Campaign, earliestDelayMs, latestDelayMs } from "./campaign.ts";
import { type LastEmail, alreadyShown, countsFrom, learnedAt } from "./last-email.ts";
import type { CloseReason } from "./reasons.ts";

/**
 * An abandonment episode: one per profile and campaign while open. `waiting` means a step
 * came due but the shopper was not reachable yet (no email or consent); a later
 * identification re-arms it.
 */
export interface EpisodeState {
  status: "open" | "waiting" | "closed";
  startedAt: Date;
  /**
   * When the last change counts from: when it happened, or when Cartback learned of it if an
   * email went out in between (see last-email.ts). Steps are due a delay after this.
   */
  lastChangeAt: Date;
  nextStep: number;
  dueAt: Date | null;
  closedReason: CloseReason | null;
}

/**
 * Orders are stamped by Shopify's clock, cart events often by the browser's: a purchase
 * stamped slightly before the add that opened the episode is still this cart's purchase.
 */
export const CHARGE_CLOCK_SKEW_MS = 5 * 60_000;

export type EpisodeChange =
  | { type: "open"; episode: EpisodeState }
  | { type: "update"; episode: EpisodeState }
  /** The open episode outlived its max age: it ends and a new one starts with this change. */
  | { type: "replace"; closed: EpisodeState; episode: EpisodeState }
  | { type: "none" };

type CartChanged = Extract<CartActivity, { kind: "cart_changed" }>;

function dueFor(campaign: Pick<Campaign, "steps">, step: number, lastChangeAt: Date): Date {
  return new Date(lastChangeAt.getTime() + earliestDelayMs(campaign.steps[step]!));
}

/**
 * A cart change opens an episode (an add into a cart when none is open, past the cool-down)
 * or pushes the pending step to last change + delay (debounce). Out-of-order events never
 * move the last change backwards. `lastEmail` is this campaign's last email to the profile:
 * a change that arrives after it with nothing it did not show opens nothing, and one it could
 * not show counts from when it was learned (last-email.ts).
 */
export function onCartChanged(
  campaign: Campaign,
  open: EpisodeState | null,
  lastStartedAt: Date | null,
  activity: CartChanged,
  lastEmail: LastEmail | null = null,
): EpisodeChange {
  if (open && activity.at.getTime() - open.startedAt.getTime() > campaign.settings.maxAgeMs) {
    const closed: EpisodeState = { ...open, status: "closed", dueAt: null, closedReason: "max_age" };
    const next = onCartChanged(campaign, null, open.startedAt, activity, lastEmail);
    return next.type === "open" ? { type: "replace", closed, episode: next.episode } : { type: "update", episode: closed };
  }
  const shown = alreadyShown(activity, lastEmail, campaign.settings.maxAgeMs);
  if (!open) {
    if (!campaign.active || !activity.added || activity.lineCount === 0 || shown) return { type: "none" };
    if (lastStartedAt && activity.at.getTime() - lastStartedAt.getTime() < campaign.settings.cooldownMs) {
      return { type: "none" };
    }
    const from = countsFrom(activity, lastEmail);
    // Started when it happened (a purchase since then still ends it); due from when it counts.
    return {
      type: "open",
      episode: { status: "open", startedAt: activity.at, lastChangeAt: from, nextStep: 0, dueAt: dueFor(campaign, 0, from), closedReason: null },
    };
  }
  if (activity.lineCount === 0 && campaign.settings.emptyCart === "skip") {
    if (learnedAt(activity) < open.lastChangeAt) return { type: "none" };
    return { type: "update", episode: { ...open, status: "closed", dueAt: null, closedReason: "cart_emptied" } };
  }
  // Nothing sent yet and the addition that opened it is gone again: nothing new to tell.
  if (shown && open.nextStep === 0) return { type: "update", episode: { ...open, status: "closed", dueAt: null, closedReason: "already_emailed" } };
  // A change from before the email that it already showed is old news: no debounce either.
  if (shown && lastEmail && activity.at.getTime() <= lastEmail.at.getTime()) return { type: "none" };
  const lastChangeAt = new Date(Math.max(countsFrom(activity, lastEmail).getTime(), open.lastChangeAt.getTime()));
  return {
    type: "update",
    episode: { ...open, status: "open", lastChangeAt, dueAt: dueFor(campaign, open.nextStep, lastChangeAt) },
  };
}

/** Charged for this cart ends the episode; an order older than the episode is an earlier purchase. */
export function onCharged(open: EpisodeState, at: Date): EpisodeChange {
  if (at.getTime() < open.startedAt.getTime() - CHARGE_CLOCK_SKEW_MS) return { type: "none" };
  return { type: "update", episode: { ...open, status: "closed", dueAt: null, closedReason: "purchased" } };
}

/** Late identity: a step parked for want of an email becomes due now. */
export function onIdentified(open: EpisodeState, at: Date): EpisodeChange {
  if (open.status !== "waiting") return { type: "none" };
  return { type: "update", episode: { ...open, status: "open", dueAt: at } };
}

/** An episode of one of the profiles being merged; `closedAt` set once it ended. */
export interface MergingEpisode {
  id: string;
  profileId: string;
  state: EpisodeState;
  closedAt: Date | null;
}

/**
 * Profiles merged (a late email or checkout stitched two devices): their episodes of one
 * campaign were one shopper's abandonment all along, so they become one. The earliest live
 * episode stays and the other live ones end as `merged`. Another profile's episode that was
 * still running when that one started counts too, ended or not: a step it already decided
 * (sent) is not decided again for the same shopper, and its cart changes debounce. (The
 * surviving episode's own profile's earlier episodes were already judged before the merge.) The
 * survivor is re-armed from the combined last change: the merge may have brought the email
 * or consent a parked step was waiting for, and if not, the step is parked again.
 */
export function onMerged(campaign: Pick<Campaign, "steps">, episodes: readonly MergingEpisode[]): { id: string; episode: EpisodeState }[] {
  const live = episodes
    .filter((e) => e.state.status !== "closed")
    .sort((a, b) => a.state.startedAt.getTime() - b.state.startedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const [keep, ...rest] = live;
  if (!keep) return [];
  const from = keep.state.startedAt.getTime();
  const overlapping = episodes.filter(
    (e) => e.state.status !== "closed" || (e.profileId !== keep.profileId && e.closedAt !== null && e.closedAt.getTime() >= from),
  );
  const nextStep = Math.max(...overlapping.map((e) => e.state.nextStep));
  const lastChangeAt = new Date(Math.max(...overlapping.map((e) => e.state.lastChangeAt.getTime())));
  const closed = (e: MergingEpisode) => ({ id: e.id, episode: { ...e.state, status: "closed" as const, dueAt: null, closedReason: "merged" as const } });
  const writes = rest.map(closed);
  if (nextStep >= campaign.steps.length) return [closed(keep), ...writes];
  // A step deferred (quiet hours) or spaced after the previous one keeps its later time.
  const pending = live.filter((e) => e.state.status === "open" && e.state.nextStep === nextStep && e.state.dueAt !== null);
  const dueAt = new Date(Math.max(dueFor(campaign, nextStep, lastChangeAt).getTime(), ...pending.map((e) => e.state.dueAt!.getTime())));
  return [{ id: keep.id, episode: { ...keep.state, status: "open", nextStep, lastChangeAt, dueAt, closedReason: null } }, ...writes];
}

/**
 * After step `nextStep` was decided (sent or skipped): schedule the following step, never
 * sooner after this one than the campaign's spacing, or end the episode.
 */
export function advance(campaign: Campaign, episode: EpisodeState, now: Date): EpisodeState {
  const next = episode.nextStep + 1;
  if (next >= campaign.steps.length) {
    return { ...episode, nextStep: next, status: "closed", dueAt: null, closedReason: "completed" };
  }
  // With A/B delays: the smallest gap between the two steps' variants.
  const spacing = earliestDelayMs(campaign.steps[next]!) - latestDelayMs(campaign.steps[episode.nextStep]!);
  const byLastChange = dueFor(campaign, next, episode.lastChangeAt).getTime();
  const dueAt = new Date(Math.max(byLastChange, now.getTime() + spacing));
  return { ...episode, nextStep: next, status: "open", dueAt };
}
