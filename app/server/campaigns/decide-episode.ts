import { randomUUID } from "node:crypto";
import type { Campaign } from "@cartback/core/campaign/campaign";
import { type EpisodeState, advance } from "@cartback/core/campaign/episode";
import { shownLines } from "@cartback/core/campaign/last-email";
import { type Decision, decide, parkedUntil } from "@cartback/core/campaign/rules";
import { campaignForVariant, stepVariant, variantWaitsUntil } from "@cartback/core/campaign/variant";
import type { ProfileState } from "@cartback/core/profile/state";
import type { campaignSends } from "@cartback/db";
import { composeWithDiscount } from "../discounts/plan.ts";
import { NO_SENDER_RETRY_MS } from "./compose.ts";
import type { SchedulerContext } from "./context.ts";
import type { DecisionRecord } from "./decisions.ts";
import { type DueBatch, idempotencyKey } from "./due-batch.ts";
import { type EpisodeRow, episodeState } from "./episodes.ts";

export type NewSend = typeof campaignSends.$inferInsert;

/**
 * What deciding one due episode comes to, written by persist-outcomes.ts: the episode's next
 * state, the decision to record (none for a send: delivery records `sent`), the outbox row.
 * `slowRender`: the render ran out of its budget; whether it is tried again depends on how
 * often it did before (read for the batch at once, after the loop).
 */
export interface Outcome {
  row: EpisodeRow;
  episode: EpisodeState;
  decision: DecisionRecord | null;
  send: NewSend | null;
  slowRender?: { message: string; advanced: EpisodeState };
}

const DEFER_DETAIL: Partial<Record<Extract<Decision, { type: "defer" }>["reason"], string>> = {
  held_new_recipients: "more new recipients this hour than this shop normally emails",
  frequency_cap: "the frequency cap is reached: the step goes when the cap allows",
};

/** Sends composed so far in this batch, per profile: not in the database yet, they count for caps. */
export type BatchSends = Map<string, number>;

/** Decide (core's rules, from the batch's state) and, for a send, compose. No I/O. */
export function decideEpisode(ctx: SchedulerContext, batch: DueBatch, row: EpisodeRow, now: Date, batchSends: BatchSends): Outcome {
  const state = episodeState(row);
  const campaign = batch.campaign(row);
  const step = campaign?.steps[row.nextStep];
  // A step with a variant B: the episode's variant, recorded on its decisions and send (core variant.ts).
  const variant = step ? stepVariant(row.shop, row.campaignId, row.id, row.nextStep, step.variantB) : null;
  const record = (outcome: DecisionRecord["outcome"], reason: string, extra: Partial<DecisionRecord> = {}): DecisionRecord => ({
    shop: row.shop, profileId: row.profileId, campaignId: row.campaignId, episodeId: row.id, step: row.nextStep, variant, at: now, outcome, reason, ...extra,
  });
  if (!campaign) {
    return { row, episode: { ...state, status: "closed", dueAt: null, closedReason: "campaign_inactive" }, decision: record("skipped", "campaign_inactive", { detail: "campaign deleted" }), send: null };
  }
  // Due at the step's earlier variant's delay: the later variant's episodes wait for their own.
  const variantDue = step && variant ? variantWaitsUntil(step, variant, state.lastChangeAt, now) : null;
  if (variantDue) return { row, episode: { ...state, dueAt: variantDue }, decision: null, send: null };
  const profile = batch.profile(row);
  const cap = campaign.settings.frequencyCap;
  const profileSends = batchSends.get(`${row.shop}\n${row.profileId}`) ?? 0;
  const decision: Decision = decide({
    now,
    campaign,
    // The id places the episode in or out of the campaign's holdout (core holdout.ts).
    episode: { ...state, id: row.id },
    profile,
    shopTimezone: batch.shop(row).timezone,
    suppressed: batch.suppressed(row),
    recentSends: cap ? batch.recentSends(row, cap.windowMs) + profileSends : 0,
    // This batch's sends are not stored yet: they count as sent now.
    recentSendTimes: cap ? [...batch.recentSendTimes(row, cap.windowMs), ...Array.from({ length: profileSends }, () => now)] : [],
    otherCampaignEmailed: batch.crossCampaign.emailedByOther(row),
    stepAlreadySent: batch.stepAlreadySent(row),
    shopUninstalled: batch.shop(row).uninstalled === true,
    newRecipientHeld: batch.breaker.holds(row.shop, row.profileId),
  });
  switch (decision.type) {
    case "skip": {
      const episode = decision.close ? { ...state, status: "closed" as const, dueAt: null, closedReason: decision.close } : advance(campaign, state, now);
      return { row, episode, decision: record("skipped", decision.reason), send: null };
    }
    case "wait":
      return { row, episode: { ...state, status: "waiting", dueAt: parkedUntil(campaign, state) }, decision: record("waiting", decision.reason), send: null };
    case "defer": {
      const detail = DEFER_DETAIL[decision.reason] ?? null;
      return { row, episode: { ...state, dueAt: decision.until }, decision: record("deferred", decision.reason, { until: decision.until, detail }), send: null };
    }
    case "send": {
      batch.breaker.count(row.shop, row.profileId);
      const outcome = composeSend(ctx, batch, row, campaignForVariant(campaign, decision.step, variant), profile!, decision, now, record, batchSends);
      return outcome.send ? { ...outcome, send: { ...outcome.send, variant } } : outcome;
    }
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
    }
  }
}

type Record_ = (outcome: DecisionRecord["outcome"], reason: string, extra?: Partial<DecisionRecord>) => DecisionRecord;

function composeSend(
  ctx: SchedulerContext, batch: DueBatch, row: EpisodeRow, campaign: Campaign, profile: ProfileState,
  decision: Extract<Decision, { type: "send" }>, now: Date, record: Record_, batchSends: BatchSends,
): Outcome {
  const state = episodeState(row);
  const sendId = randomUUID();
  const key = idempotencyKey(campaign.id, row.id, decision.step);
  // A step with a discount composes with and without its code; the code is created at delivery.
  const { composed, discount } = composeWithDiscount({
    appUrl: ctx.appUrl, appSecret: ctx.appSecret, mailFrom: ctx.mailFrom, renderBudgetMs: ctx.renderBudgetMs, shop: batch.shop(row), campaign,
    step: decision.step, profile, email: decision.email, sendId, catalogRows: batch.catalogRows(row),
  }, campaign.steps[decision.step]?.discount, key);
  switch (composed.type) {
    case "no_sender": {
      // Nobody to send from yet: the step waits for a sender instead of being lost.
      const until = new Date(now.getTime() + NO_SENDER_RETRY_MS);
      return { row, episode: { ...state, dueAt: until }, decision: record("deferred", "no_sender", { detail: composed.message, until }), send: null };
    }
    case "error":
      if (composed.retryable) return { row, episode: state, decision: null, send: null, slowRender: { message: composed.message, advanced: advance(campaign, state, now) } };
      return { row, episode: advance(campaign, state, now), decision: record("failed", "render_failed", { detail: composed.message }), send: null };
    case "ok": {
      const sentTo = `${row.shop}\n${row.profileId}`;
      batchSends.set(sentTo, (batchSends.get(sentTo) ?? 0) + 1);
      batch.crossCampaign.sent(row, now);
      const send: NewSend = {
        id: sendId, shop: row.shop, campaignId: campaign.id, episodeId: row.id, profileId: row.profileId, step: decision.step,
        idempotencyKey: key, status: "sending", toEmail: decision.email,
        discount: discount as unknown as Record<string, unknown> | null,
        // The cart it shows rides along: a late change it already showed opens no episode (last-email.ts).
        message: { ...composed.message, cart: shownLines(profile.cart) } as unknown as Record<string, unknown>, dueAt: row.dueAt ?? now, createdAt: now,
        nextAttemptAt: new Date(now.getTime() + ctx.leaseMs),
      };
      return { row, episode: advance(campaign, state, now), decision: null, send };
    }
    default: {
      const unreachable: never = composed;
      throw new Error(`unknown compose result ${JSON.stringify(unreachable)}`);
    }
  }
}
