import { z } from "zod";

/** Why a due step was not sent. Every evaluation records one of these on the timeline. */
export const SkipReason = z.enum([
  "campaign_inactive",
  "max_age",
  "profile_missing",
  "purchased",
  "cart_empty",
  "no_email",
  "no_consent",
  "suppressed",
  "already_sent",
  "frequency_cap",
  "render_failed",
  /** The shop uninstalled Cartback (app/uninstalled): nothing of it is sent any more. */
  "shop_uninstalled",
  /** The episode is in the campaign's holdout share: no email, to measure what email adds. */
  "holdout",
  /** Another campaign already emailed this cart; the shop allows one email per cart across campaigns. */
  "cross_campaign_cap",
]);
export type SkipReason = z.infer<typeof SkipReason>;

/** Why an episode ended. */
export const CloseReason = z.enum([
  "completed",
  "purchased",
  "cart_emptied",
  "max_age",
  "campaign_inactive",
  "profile_missing",
  "suppressed",
  "merged",
  /** The cart went back to what the campaign's last email already showed (last-email.ts). */
  "already_emailed",
  "shop_uninstalled",
  "holdout",
  "cross_campaign_cap",
  /** The merchant deleted the campaign; its history stays for the Results page. */
  "campaign_deleted",
]);
export type CloseReason = z.infer<typeof CloseReason>;

/** `closed`: an episode ended at ingest (a purchase, an emptied cart, a merge) before its step came due. */
export const DecisionOutcome = z.enum(["sent", "skipped", "waiting", "deferred", "failed", "retrying", "closed"]);
export type DecisionOutcome = z.infer<typeof DecisionOutcome>;
