import type { StepVariant } from "@cartback/core/campaign/campaign";
import { parseDuration } from "../../shared/durations.ts";
import type { Runtime } from "../runtime.ts";
import { parseToggle } from "../settings/settings-form.ts";
import { campaignError } from "./field-text.ts";
import { type StepPartResult, saveStepPart } from "./step-form.ts";

/**
 * The Campaigns page's A/B form of one step (app/components/campaigns/VariantFields.tsx), intent
 * "variant": `variant` on/off, `variant-template` same | own with `variant-subject`,
 * `variant-preheader`, `variant-html`, `variant-delay` (15m, 2h; empty: the step's own) and
 * `variant-percent` (share of episodes that get B). Errors name `steps.<i>.variantB.<field>`.
 */
export type VariantFormResult = StepPartResult;

type Invalid = Extract<VariantFormResult, { type: "invalid" }>;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

/** The posted variant B as a patch value: null removes it; the whole campaign is checked on save. */
export function parseVariantFields(form: FormData, step: number): { type: "ok"; variantB: unknown } | Invalid {
  const field = (name: string) => `steps.${step}.variantB.${name}`;
  const enabled = parseToggle(form.get("variant"));
  if (enabled.type !== "set") return { type: "invalid", field: field("enabled"), message: "Variant B must be on or off" };
  if (!enabled.on) return { type: "ok", variantB: null };
  const which = text(form, "variant-template") || "own";
  if (which !== "own" && which !== "same") return { type: "invalid", field: field("template"), message: "Variant B's email must be its own or the step's" };
  const template = which === "own" ? { subject: text(form, "variant-subject"), preheader: text(form, "variant-preheader"), html: text(form, "variant-html") } : null;
  const delayText = text(form, "variant-delay").trim();
  const delayMs = delayText === "" ? null : parseDuration(delayText);
  if (delayMs === null && delayText !== "") return { type: "invalid", field: field("delayMs"), message: "Variant B delay must be a duration like 30m, 2h or 1d (empty: the step's own)" };
  const percentText = text(form, "variant-percent").trim() || "50";
  if (!/^\d{1,2}$/.test(percentText)) return { type: "invalid", field: field("percent"), message: "Variant B share must be a whole percent from 1 to 99" };
  const variantB: Partial<StepVariant> = { template, delayMs, percent: Number(percentText) };
  return { type: "ok", variantB };
}

/** Saves one step's variant B (off removes it); everything else in the campaign stays as it was. */
export async function saveStepVariant(runtime: Runtime, shop: string, form: FormData): Promise<VariantFormResult> {
  const result = await saveStepPart(runtime, shop, form, (f, step) => {
    const parsed = parseVariantFields(f, step);
    return parsed.type === "ok" ? { type: "ok", patch: { variantB: parsed.variantB } } : parsed;
  });
  return result.type === "invalid" ? { ...result, ...campaignError(result.field, result.message) } : result;
}
