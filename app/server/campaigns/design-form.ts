import type { Db } from "@cartback/db";
import { loadDocumentJson, STARTER_LABELS, STARTERS, type StarterName } from "@cartback/email-blocks";
import type { Runtime } from "../runtime.ts";
import { campaignError } from "./field-text.ts";
import { convertToHtml, type DesignSave, loadStepDesign, saveStepDesign, startFromStarter, templateOf } from "./designs.ts";
import { composePreview, type PreviewRequest, sendTestEmail } from "./preview.ts";

/**
 * The designer route's forms, read from fields and handed to the design store and the campaign
 * preview path (the same composer a send uses). Results are values the route maps to responses.
 */
export type DesignFormResult =
  | { type: "saved" }
  | { type: "started" }
  | { type: "converted" }
  | { type: "preview"; subject: string; html: string; cart: "profile" | "sample" }
  | { type: "test_sent"; to: string }
  | { type: "invalid"; field: string; message: string; line?: number; column?: number }
  | { type: "not_found"; field: string; message: string }
  | { type: "failed"; message: string };

export type DesignTarget = { shop: string; campaignId: string; step: number };

const text = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
};

function fromSave(result: DesignSave, done: "saved" | "started"): DesignFormResult {
  switch (result.type) {
    case "saved":
      return { type: done };
    case "invalid":
      return { ...result, ...campaignError(result.field, result.message) };
    case "not_found":
      return result;
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function saveDesign(runtime: Runtime, target: DesignTarget, form: FormData): Promise<DesignFormResult> {
  const loaded = loadDocumentJson(text(form, "document"));
  if (loaded.type !== "ok") return loaded;
  return fromSave(await saveStepDesign(runtime.database.db as Db, target.shop, target.campaignId, target.step, loaded.document), "saved");
}

export async function startDesign(runtime: Runtime, target: DesignTarget, form: FormData): Promise<DesignFormResult> {
  const starter = text(form, "starter");
  if (!(STARTERS as readonly string[]).includes(starter)) return { type: "invalid", field: "starter", message: `Starter design: choose one of ${STARTERS.map((name) => STARTER_LABELS[name]).join(", ")}` };
  return fromSave(await startFromStarter(runtime.database.db as Db, target.shop, target.campaignId, target.step, starter as StarterName), "started");
}

export async function convertDesign(runtime: Runtime, target: DesignTarget): Promise<DesignFormResult> {
  const result = await convertToHtml(runtime.database.db as Db, target.shop, target.campaignId, target.step);
  return result.type === "ok" ? { type: "converted" } : result;
}

/** The posted document compiled for this campaign, as a preview request's unsaved draft. */
async function draftRequest(runtime: Runtime, target: DesignTarget, form: FormData): Promise<PreviewRequest | Extract<DesignFormResult, { type: "invalid" | "not_found" }>> {
  const loaded = loadDocumentJson(text(form, "document"));
  if (loaded.type !== "ok") return loaded;
  const found = await loadStepDesign(runtime.database.db as Db, target.shop, target.campaignId, target.step);
  if (found.type !== "ok") return found;
  const profile = text(form, "profile").trim();
  return { shop: target.shop, campaignId: target.campaignId, step: target.step, draft: templateOf(found.design.campaign, loaded.document), ...(profile ? { profile } : {}) };
}

export async function previewDesign(runtime: Runtime, target: DesignTarget, form: FormData): Promise<DesignFormResult> {
  const request = await draftRequest(runtime, target, form);
  if ("type" in request) return request;
  const result = await composePreview(runtime, request);
  switch (result.type) {
    case "ok":
      return { type: "preview", subject: result.message.subject, html: result.message.html, cart: result.cart };
    case "not_found":
      return { type: "not_found", field: result.field === "campaign" ? "id" : result.field, message: result.message };
    case "invalid_template":
      return { ...result, type: "invalid", ...campaignError(result.field, result.message) };
    case "render_error":
      return { type: "invalid", field: "document", message: result.message };
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

export async function testDesign(runtime: Runtime, target: DesignTarget, form: FormData): Promise<DesignFormResult> {
  const request = await draftRequest(runtime, target, form);
  if ("type" in request) return request;
  const to = text(form, "to").trim();
  const result = await sendTestEmail(runtime, request, to);
  switch (result.type) {
    case "sent":
      return { type: "test_sent", to };
    case "invalid":
      return result;
    case "invalid_template":
      return { ...result, type: "invalid", ...campaignError(result.field, result.message) };
    case "not_found":
      return { type: "not_found", field: result.field === "campaign" ? "id" : result.field, message: result.message };
    case "render_error":
      return { type: "invalid", field: result.reason === "no_sender" ? "sender" : "document", message: result.message };
    case "failed":
      return { type: "failed", message: result.message };
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}
