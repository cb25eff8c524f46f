import type { Db } from "@cartback/db";
import { CAMPAIGN_INPUTS, parseCampaignInput } from "../../shared/campaign-input.ts";
import type { Runtime } from "../runtime.ts";
import { parseToggle } from "../settings/settings-form.ts";
import { campaignError } from "./field-text.ts";
import { type PreviewRequest, composePreview, sendTestEmail } from "./preview.ts";
import { getCampaign, type UpdateResult, updateCampaign } from "./repository.ts";

/**
 * The admin campaigns page's forms (settings, and per step: template, preview, test send), read
 * from form fields and handed to the same functions the CLI uses. The route maps results to
 * responses; errors name the input and read as the page labels it (field-text.ts).
 */
export type StepFormResult =
  | { type: "saved"; campaignId: string }
  | { type: "preview"; step: number; subject: string; html: string; text: string; cart: "profile" | "sample" }
  | { type: "test_sent"; step: number; to: string; messageId: string }
  | { type: "invalid"; field: string; message: string; line?: number; column?: number }
  | { type: "not_found"; field: string; message: string }
  | { type: "failed"; message: string };

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function stepOf(form: FormData): number | null {
  const raw = text(form, "step");
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function fromUpdate(result: UpdateResult): StepFormResult {
  switch (result.type) {
    case "ok":
      return { type: "saved", campaignId: result.campaign.id };
    case "not_found":
      return { type: "not_found", field: "id", message: "no such campaign" };
    case "invalid":
      return invalid(result);
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

function invalid(result: { field: string; message: string; line?: number; column?: number }): Extract<StepFormResult, { type: "invalid" }> {
  return { ...result, type: "invalid", ...campaignError(result.field, result.message) };
}

/**
 * Saves the campaign's settings form, read by the schema `cartback campaign` flags use. `active`
 * comes from a hidden input as on/off (see parseToggle); a form without it leaves it as it was.
 */
export async function saveCampaignSettings(runtime: Runtime, shop: string, form: FormData): Promise<StepFormResult> {
  const values = Object.fromEntries(CAMPAIGN_INPUTS.filter((name) => form.has(name)).map((name) => [name, text(form, name)]));
  const parsed = parseCampaignInput(values);
  if (parsed.type === "invalid") return invalid(parsed);
  return fromUpdate(await updateCampaign(runtime.database.db as Db, shop, text(form, "id"), parsed.patch));
}

/** Saves one step's template (or the default when `useDefault` is on); compiled before saving. */
export async function saveStepTemplate(runtime: Runtime, shop: string, form: FormData): Promise<StepFormResult> {
  const db = runtime.database.db as Db;
  const campaign = await getCampaign(db, shop, text(form, "id"));
  if (!campaign) return { type: "not_found", field: "id", message: "no such campaign" };
  const step = stepOf(form);
  if (step === null || !campaign.steps[step]) return { type: "invalid", field: "step", message: `expected a step from 1 to ${campaign.steps.length}` };
  const useDefault = parseToggle(form.get("useDefault"));
  if (useDefault.type === "invalid") return { type: "invalid", field: "useDefault", message: "Use default template must be on or off" };
  const template = useDefault.type === "set" && useDefault.on
    ? null
    : { subject: text(form, "subject"), preheader: text(form, "preheader"), html: text(form, "html") };
  const steps = campaign.steps.map((s, i) => (i === step ? { delayMs: s.delayMs, template } : { delayMs: s.delayMs }));
  return fromUpdate(await updateCampaign(db, shop, campaign.id, { steps }));
}

/**
 * What preview and test send render: the editor posts its fields with `draft=1`, so the
 * merchant sees the template on screen, saved or not; without it, the saved step.
 */
function previewRequest(shop: string, step: number, form: FormData): PreviewRequest {
  const profile = text(form, "profile").trim();
  const request: PreviewRequest = { shop, campaignId: text(form, "id"), step, ...(profile ? { profile } : {}) };
  if (text(form, "draft") !== "1") return request;
  const useDefault = parseToggle(form.get("useDefault"));
  return { ...request, draft: useDefault.type === "set" && useDefault.on ? null : { subject: text(form, "subject"), preheader: text(form, "preheader"), html: text(form, "html") } };
}

/** Renders the step (its unsaved edits when posted) with a chosen profile (id or email) or the sample cart. */
export async function previewStep(runtime: Runtime, shop: string, form: FormData): Promise<StepFormResult> {
  const step = stepOf(form);
  if (step === null) return { type: "invalid", field: "step", message: "expected a step number" };
  const result = await composePreview(runtime, previewRequest(shop, step, form));
  switch (result.type) {
    case "ok":
      return { type: "preview", step, subject: result.message.subject, html: result.message.html, text: result.message.text, cart: result.cart };
    case "not_found":
      return { type: "not_found", field: result.field === "campaign" ? "id" : result.field, message: result.message };
    case "invalid_template":
      return invalid(result);
    case "render_error":
      return invalid({ field: `steps.${step}.template`, message: result.message });
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Sends the step (its unsaved edits when posted) marked as a test; listed in the Outbox as a test. */
export async function testSendStep(runtime: Runtime, shop: string, form: FormData): Promise<StepFormResult> {
  const step = stepOf(form);
  if (step === null) return { type: "invalid", field: "step", message: "expected a step number" };
  const to = text(form, "to").trim();
  const result = await sendTestEmail(runtime, previewRequest(shop, step, form), to);
  switch (result.type) {
    case "sent":
      return { type: "test_sent", step, to, messageId: result.messageId };
    case "invalid":
      return result;
    case "invalid_template":
      return invalid(result);
    case "not_found":
      return { type: "not_found", field: result.field === "campaign" ? "id" : result.field, message: result.message };
    case "render_error":
      // No sender is a setting to fix, not the template: said apart from the template's fields.
      if (result.reason === "no_sender") return { type: "invalid", field: "sender", message: result.message };
      return invalid({ field: `steps.${step}.template`, message: result.message });
    case "failed":
      return { type: "failed", message: result.message };
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}
