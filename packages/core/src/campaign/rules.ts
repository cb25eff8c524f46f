import type { ChargeState, ProfileState } from "../profile/state.ts";
import type { Campaign } from "./campaign.ts";
import { CHARGE_CLOCK_SKEW_MS } from "./episode.ts";
import { capFreeAt } from "./frequency-cap.ts";
import { isHeldOut } from "./holdout.ts";
import { isValidTimeZone, quietUntil } from "./quiet-hours.ts";
import type { CloseReason, SkipReason } from "./reasons.ts";

/**
 * "When is an email sent?" — answered here, at send time, from live state only. The worker
 * gathers the inputs for a whole batch (profile read model, shop, suppression, recent sends,
 * the new-recipient allowance) and applies the result.
 */
export interface DecisionInput {
  now: Date;
  campaign: Campaign;
  /** `id` places the episode in or out of the campaign's holdout; without it none is held out. */
  episode: { startedAt: Date; nextStep: number; id?: string };
  /** Live read model; null when the profile no longer exists (merged away, redacted). */
  profile: ProfileState | null;
  shopTimezone: string;
  /** The shop suppresses this address (unsubscribed, hard bounce). */
  suppressed: boolean;
  /** Campaign emails already sent to this profile within the frequency cap's window. */
  recentSends: number;
  /**
   * When those emails were sent (any campaign), so a capped step is deferred to the first
   * allowed time. Without it, a capped step waits one whole window (all of them have left it then).
   */
  recentSendTimes?: readonly Date[];
  /**
   * Another campaign of the shop emailed this profile since this episode started (its cart
   * addition), and the shop allows one email per cart across campaigns (cross-campaign.ts).
   */
  otherCampaignEmailed?: boolean;
  /** A send for this campaign + episode + step already exists (idempotency). */
  stepAlreadySent: boolean;
  /** The shop uninstalled Cartback (shops.uninstalled_at set). */
  shopUninstalled: boolean;
  /**
   * This profile was never emailed by the shop and the shop's new-recipient allowance for the
   * hour is used up (app/server/campaigns/breaker.ts computes the allowance).
   */
  newRecipientHeld: boolean;
}

export type Decision =
  | { type: "send"; step: number; email: string; emptyCart: boolean }
  /** `close` set: the episode ends; null: this step is skipped and the next one scheduled. */
  | { type: "skip"; step: number; reason: SkipReason; close: CloseReason | null }
  /** Parked until an identification re-arms it (late identity), within the max age. */
  | { type: "wait"; step: number; reason: "no_email" | "no_consent" }
  | { type: "defer"; step: number; reason: "quiet_hours" | "frequency_cap" | typeof HELD_REASON; until: Date };

/** A first-time recipient over the shop's hourly allowance is looked at again after this. */
export const HOLD_MS = 15 * 60_000;
export const HELD_REASON = "held_new_recipients";

const OPTED_OUT = new Set(["unsubscribed", "redacted", "invalid"]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function purchasedSince(profile: ProfileState, startedAt: Date): boolean {
  const tokenMatch = (c: ChargeState) =>
    (c.cartToken !== null && profile.cartTokens.includes(c.cartToken)) ||
    (c.checkoutToken !== null && profile.checkoutTokens.includes(c.checkoutToken));
  return profile.charges.some(
    (c) =>
      c.at.getTime() >= startedAt.getTime() ||
      (tokenMatch(c) && c.at.getTime() >= startedAt.getTime() - CHARGE_CLOCK_SKEW_MS),
  );
}

export function hasConsent(campaign: Campaign, profile: ProfileState): boolean {
  const consent = profile.marketingConsent;
  if (OPTED_OUT.has(consent)) return false;
  switch (campaign.settings.consent) {
    case "marketing":
      return consent === "subscribed";
    case "marketing_or_checkout":
      return consent === "subscribed" || profile.acceptsMarketingAtCheckout === true;
    case "any_known":
      return true;
    default: {
      const unreachable: never = campaign.settings.consent;
      throw new Error(`unknown consent policy ${String(unreachable)}`);
    }
  }
}

export function sendingZone(campaign: Campaign, profile: ProfileState | null, shopTimezone: string): string {
  const shopZone = isValidTimeZone(shopTimezone) ? shopTimezone : "UTC";
  const quiet = campaign.settings.quietHours;
  if (quiet?.zone === "profile" && profile?.timezone && isValidTimeZone(profile.timezone)) return profile.timezone;
  return shopZone;
}

/** The rules, in order; the first that applies decides. */
export function decide(input: DecisionInput): Decision {
  const { now, campaign, episode, profile } = input;
  const step = episode.nextStep;
  const settings = campaign.settings;
  const skip = (reason: SkipReason, close: CloseReason | null): Decision => ({ type: "skip", step, reason, close });
  const expiresAt = episode.startedAt.getTime() + settings.maxAgeMs;

  if (input.shopUninstalled) return skip("shop_uninstalled", "shop_uninstalled");
  if (!campaign.active) return skip("campaign_inactive", "campaign_inactive");
  if (step >= campaign.steps.length) return skip("already_sent", "completed");
  if (input.stepAlreadySent) return skip("already_sent", null);
  if (now.getTime() > expiresAt) return skip("max_age", "max_age");
  if (!profile) return skip("profile_missing", "profile_missing");
  if (purchasedSince(profile, episode.startedAt)) return skip("purchased", "purchased");
  const emptyCart = profile.cart.length === 0;
  if (emptyCart && settings.emptyCart === "skip") return skip("cart_empty", "cart_emptied");
  const email = profile.email?.trim() ?? "";
  if (!EMAIL.test(email)) return { type: "wait", step, reason: "no_email" };
  if (input.suppressed) return skip("suppressed", "suppressed");
  if (!hasConsent(campaign, profile)) return { type: "wait", step, reason: "no_consent" };
  if (input.otherCampaignEmailed) return skip("cross_campaign_cap", "cross_campaign_cap");
  const capped = frequencyCapUntil(input);
  if (capped) {
    // Like quiet hours: the step waits for the cap, never past the episode's max age.
    if (capped.getTime() > expiresAt) return skip("frequency_cap", "max_age");
    return { type: "defer", step, reason: "frequency_cap", until: capped };
  }
  // Decided where the email would otherwise be due, so both groups hold the same kind of episode.
  if (step === 0 && episode.id && isHeldOut(campaign.shop, campaign.id, episode.id, settings.holdoutPercent)) return skip("holdout", "holdout");
  if (settings.quietHours) {
    const until = quietUntil(now, settings.quietHours, sendingZone(campaign, profile, input.shopTimezone));
    if (until) {
      if (until.getTime() > expiresAt) return skip("max_age", "max_age");
      return { type: "defer", step, reason: "quiet_hours", until };
    }
  }
  if (input.newRecipientHeld) return { type: "defer", step, reason: HELD_REASON, until: new Date(now.getTime() + HOLD_MS) };
  return { type: "send", step, email, emptyCart };
}

/** Null when the frequency cap lets a send through now; else the first time it does. */
function frequencyCapUntil(input: DecisionInput): Date | null {
  const cap = input.campaign.settings.frequencyCap;
  if (!cap || input.recentSends < cap.count) return null;
  const times = input.recentSendTimes;
  if (times && times.length >= input.recentSends) return capFreeAt(input.now, cap, times);
  return new Date(input.now.getTime() + cap.windowMs);
}

/**
 * A step parked for want of an email or consent (a `wait` decision) comes due again just past
 * the episode's max age, where `decide` ends it, unless an identification re-arms it first.
 */
export function parkedUntil(campaign: Campaign, episode: { startedAt: Date }): Date {
  return new Date(episode.startedAt.getTime() + campaign.settings.maxAgeMs + 1);
}

/**
 * A send decided earlier and about to be retried (an SMTP retry, or a dead worker's send):
 * the same rules, from live state, minus what the first decision already settled (the
 * frequency cap and the new-recipient allowance counted this send, quiet hours were respected
 * when it was decided). An uninstalled shop's retry is dropped like any of its sends. Null:
 * still wanted. Consent and email are checked like any decision: a shopper who unsubscribed
 * or withdrew consent in between gets nothing.
 */
export function retryStillWanted(input: Omit<DecisionInput, "recentSends" | "stepAlreadySent" | "newRecipientHeld" | "otherCampaignEmailed">): SkipReason | null {
  const settings = { ...input.campaign.settings, frequencyCap: null, quietHours: null, holdoutPercent: 0 };
  // The first decision admitted this recipient: the new-recipient allowance counted it then.
  const decision = decide({ ...input, campaign: { ...input.campaign, settings }, recentSends: 0, stepAlreadySent: false, newRecipientHeld: false, otherCampaignEmailed: false });
  switch (decision.type) {
    case "send":
    case "defer":
      return null;
    case "skip":
    case "wait":
      return decision.reason;
    default: {
      const unreachable: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
    }
  }
}
