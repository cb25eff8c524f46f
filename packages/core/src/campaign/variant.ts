import type { Campaign, CampaignStep, StepTemplate } from "./campaign.ts";
import { fnv1a } from "./holdout.ts";

/**
 * A/B tests of a step. An episode's variant is a hash of shop, campaign, episode and step, so
 * every worker, retry and re-decision sees the same one, and the split depends on nothing about
 * the shopper. Each step is split on its own: a step's B group is not the previous step's.
 */
export type Variant = "A" | "B";

/** null when the step has no variant B (nothing to record). */
export function stepVariant(shop: string, campaignId: string, episodeId: string, step: number, variantB: CampaignStep["variantB"]): Variant | null {
  if (!variantB) return null;
  // A prefix of its own: the holdout hashes shop, campaign and episode, and the groups must not line up.
  return fnv1a(`ab\n${shop}\n${campaignId}\n${episodeId}\n${step}`) % 10_000 < variantB.percent * 100 ? "B" : "A";
}

/** The delay and template an episode in `variant` gets for this step. */
export function variantOfStep(step: CampaignStep, variant: Variant | null): { delayMs: number; template: StepTemplate | null } {
  if (variant !== "B" || !step.variantB) return { delayMs: step.delayMs, template: step.template };
  return { delayMs: step.variantB.delayMs ?? step.delayMs, template: step.variantB.template ?? step.template };
}

/** The campaign as the variant sees it: the step's own template and delay are the variant's. */
export function campaignForVariant(campaign: Campaign, step: number, variant: Variant | null): Campaign {
  const current = campaign.steps[step];
  if (!current || variant !== "B") return campaign;
  const steps = campaign.steps.map((s, i) => (i === step ? { ...s, ...variantOfStep(s, variant), variantB: undefined } : s));
  return { ...campaign, steps };
}

/**
 * Episodes come due at the step's earlier delay (episode.ts); one whose variant waits longer
 * is due again at its own delay from the last change. null: it is due now.
 */
export function variantWaitsUntil(step: CampaignStep, variant: Variant | null, lastChangeAt: Date, now: Date): Date | null {
  const due = lastChangeAt.getTime() + variantOfStep(step, variant).delayMs;
  return due > now.getTime() ? new Date(due) : null;
}
