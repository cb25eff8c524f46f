import { type FieldTable, type MerchantError, merchantError } from "../../shared/merchant-text.ts";

const step = (match: RegExpExecArray) => (match[1] === "0" ? "" : ` of step ${Number(match[1]) + 1}`);

/**
 * The Campaigns page's fields by schema path (and by CLI flag, which the settings form posts):
 * the input the message goes under and the label it starts with. Template fields keep their
 * path, which is how each step's editor finds its own errors.
 */
export const CAMPAIGN_FIELDS: FieldTable = [
  [/^steps\.(\d+)\.delayMs$/, (m) => ({ input: "steps", label: `Delay${step(m)}`, unit: "ms" })],
  [/^steps\.(\d+)\.template\.(subject|preheader|html)$/, (m) => ({ input: m[0], label: { subject: "Subject", preheader: "Preheader", html: "HTML" }[m[2]!]! })],
  [/^steps\.(\d+)\.template$/, (m) => ({ input: `${m[0]}.html`, label: "Template" })],
  // A/B variant B of a step (its own form: components/campaigns/VariantFields.tsx).
  [/^steps\.(\d+)\.variantB\.template\.(subject|preheader|html)$/, (m) => ({ input: m[0], label: { subject: "Variant B subject", preheader: "Variant B preheader", html: "Variant B HTML" }[m[2]!]! })],
  [/^steps\.(\d+)\.variantB\.delayMs$/, (m) => ({ input: m[0], label: "Variant B delay", unit: "ms" })],
  [/^steps\.(\d+)\.variantB\.percent$/, (m) => ({ input: m[0], label: "Variant B share (%)", unit: "count" })],
  [/^steps\.(\d+)\.variantB(\.template)?$/, (m) => ({ input: `steps.${m[1]}.variantB`, label: "Variant B" })],
  [/^(steps|delay)$/, { input: "steps", label: "Steps" }],
  [/^(settings\.frequencyCap\.count)$/, { input: "cap", label: "Frequency cap", unit: "count" }],
  [/^(settings\.frequencyCap(\.windowMs)?|cap)$/, { input: "cap", label: "Frequency cap window", unit: "ms" }],
  [/^(settings\.quietHours(\..*)?|quiet)$/, { input: "quiet", label: "Quiet hours" }],
  [/^(settings\.maxAgeMs|max-age)$/, { input: "max-age", label: "Max age of an episode", unit: "ms" }],
  [/^(settings\.cooldownMs|cooldown)$/, { input: "cooldown", label: "Cool-down between episodes", unit: "ms" }],
  [/^(settings\.holdoutPercent|holdout)$/, { input: "holdout", label: "Holdout", unit: "count" }],
  [/^(settings\.emptyCart|empty-cart)$/, { input: "empty-cart", label: "Empty cart at send time" }],
  [/^(settings\.consent|consent)$/, { input: "consent", label: "Consent" }],
  [/^(settings\.catalogMapping\.property|property)$/, { input: "property", label: "Profile property" }],
  [/^(settings\.catalogMapping\.catalog|catalog)$/, { input: "catalog", label: "Catalog" }],
  [/^(settings\.catalogMapping\.alias|alias)$/, { input: "alias", label: "Alias in templates" }],
  [/^active$/, { input: "active", label: "Active" }],
  [/^name$/, { input: "name", label: "Name" }],
];

/** "steps.0.delayMs" + "Too small: expected number to be >=1000" → steps: "Delay must be at least 1 second". */
export function campaignError(path: string, message: string): MerchantError {
  if (path === "steps" && message === "step delays must increase") {
    return { field: "steps", message: "Each step's delay must be longer than the one before (e.g. 15m,24h)" };
  }
  return merchantError(CAMPAIGN_FIELDS, path, message);
}
