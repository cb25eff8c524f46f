import type { Db } from "@cartback/db";
import type { Runtime } from "../runtime.ts";
import { getCampaign, updateCampaign } from "./repository.ts";

/** Saving one part of one step (its discount, its variant B) from its own form on the Campaigns page. */
export type StepPartResult =
  | { type: "saved"; campaignId: string }
  | { type: "invalid"; field: string; message: string; line?: number; column?: number }
  | { type: "not_found"; field: string; message: string };

export type StepPartParse = (form: FormData, step: number) => { type: "ok"; patch: Record<string, unknown> } | Extract<StepPartResult, { type: "invalid" }>;

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
};

/**
 * The form posts `id` and `step`; `parse` turns its fields into the step's patch (repository
 * StepPatch: a part left out is kept). The rest of the campaign stays as it was, and the whole
 * campaign is checked again before it is saved.
 */
export async function saveStepPart(runtime: Runtime, shop: string, form: FormData, parse: StepPartParse): Promise<StepPartResult> {
  const db = runtime.database.db as Db;
  const campaign = await getCampaign(db, shop, text(form, "id"));
  if (!campaign) return { type: "not_found", field: "id", message: "no such campaign" };
  const raw = text(form, "step");
  const step = /^\d+$/.test(raw) ? Number(raw) : -1;
  if (!campaign.steps[step]) return { type: "invalid", field: "step", message: `expected a step from 1 to ${campaign.steps.length}` };
  const parsed = parse(form, step);
  if (parsed.type === "invalid") return parsed;
  const steps = campaign.steps.map((s, i) => ({ delayMs: s.delayMs, ...(i === step ? parsed.patch : {}) }));
  const result = await updateCampaign(db, shop, campaign.id, { steps });
  if (result.type === "ok") return { type: "saved", campaignId: campaign.id };
  if (result.type === "not_found") return { type: "not_found", field: "id", message: "no such campaign" };
  return result;
}
