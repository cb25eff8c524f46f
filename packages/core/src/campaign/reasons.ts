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
]);
export type CloseReason = z.infer<typeof CloseReason>;

export const DecisionOutcome = z.enum(["sent", "skipped", "waiting", "deferred", "failed", "retrying"]);
export type DecisionOutcome = z.infer<typeof DecisionOutcome>;
