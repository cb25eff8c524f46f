import { type ActionFunctionArgs, json, redirect } from "@remix-run/node";
import type { Db } from "@cartback/db";
import { authenticateAdmin } from "../../shopify.server";
import { saveStepDiscount } from "../discounts/discount-form.ts";
import { readFormBody } from "../http-body.ts";
import { problem } from "../http.ts";
import { previewStep, type StepFormResult, saveCampaignSettings, saveStepTemplate, testSendStep } from "./admin-form.ts";
import { CrossCampaignCap, setCrossCampaignCap } from "./cross-campaign.ts";
import { type LifecycleResult, createCampaign, deleteCampaign, duplicateCampaign } from "./lifecycle.ts";
import { updateCampaign } from "./repository.ts";
import { saveStepVariant } from "./variant-form.ts";

/**
 * The Campaigns pages' forms (the list at /app/campaigns and one campaign's editor at
 * /app/campaigns/<id> post the same intents): the campaign's settings and steps, and the list's
 * create, duplicate, pause, resume, delete and the shop's cross-campaign cap.
 */
export async function campaignsAction({ request, context }: ActionFunctionArgs) {
  const admin = await authenticateAdmin(request, context);
  if (!admin.shop) return problem(400, "no_shop", "connect a store first");
  // Three template fields of up to 200,000 characters each fit; anything larger is refused while reading.
  const body = await readFormBody(request, 1024 * 1024);
  if (body.type === "too_large") return problem(413, "body_too_large", `the form is over ${body.limit} bytes`, "form");
  if (body.type === "malformed") return problem(400, "malformed_form", body.message, "form");
  const { form } = body;
  const { runtime } = context;
  const shop = admin.shop;
  const db = runtime.database.db as Db;
  const id = String(form.get("id") ?? "");
  const intent = String(form.get("intent") ?? "settings");
  switch (intent) {
    case "template":
      return stepResponse(await saveStepTemplate(runtime, shop, form));
    case "preview":
      return stepResponse(await previewStep(runtime, shop, form));
    case "test":
      return stepResponse(await testSendStep(runtime, shop, form));
    case "settings":
      return stepResponse(await saveCampaignSettings(runtime, shop, form));
    case "discount":
      return stepResponse(await saveStepDiscount(runtime, shop, form));
    case "variant":
      return stepResponse(await saveStepVariant(runtime, shop, form));
    case "create":
      return opened(await createCampaign(db, shop, form.get("name") ?? ""));
    case "duplicate":
      return opened(await duplicateCampaign(db, shop, id));
    case "pause":
    case "resume": {
      const result = await updateCampaign(db, shop, id, { active: intent === "resume" });
      if (result.type === "not_found") return problem(404, "not_found", "no such campaign", "id");
      if (result.type === "invalid") return problem(400, "invalid_campaign", result.message, result.field);
      return json({ saved: id, status: intent === "resume" ? "Resumed" : "Paused" });
    }
    case "delete": {
      // Typed, not only clicked: a delete ends the campaign's open episodes.
      if (form.get("confirm") !== "delete") return problem(400, "not_confirmed", "confirm the deletion (confirm=delete)", "confirm");
      const result = await deleteCampaign(db, shop, id);
      if (result.type !== "ok") return problem(404, "not_found", "no such campaign", "id");
      return redirect(`/app/campaigns?deleted=${encodeURIComponent(result.campaign.name)}`);
    }
    case "cross-campaign": {
      const value = CrossCampaignCap.safeParse(form.get("crossCampaignCap"));
      if (!value.success) return problem(400, "invalid_setting", `expected one of ${CrossCampaignCap.options.join(", ")}`, "crossCampaignCap");
      await setCrossCampaignCap(db, shop, value.data);
      return json({ saved: "cross-campaign", status: "Saved" });
    }
    default:
      return problem(400, "invalid_intent", "expected settings, template, preview, test, discount, variant, create, duplicate, pause, resume, delete or cross-campaign", "intent");
  }
}

/** A new or duplicated campaign opens in its editor. */
function opened(result: LifecycleResult) {
  switch (result.type) {
    case "ok":
      return redirect(`/app/campaigns/${result.campaign.id}`);
    case "not_found":
      return problem(404, "not_found", "no such campaign", "id");
    case "invalid":
      return json({ error: { code: "invalid_campaign", field: result.field, message: result.message } }, { status: 400 });
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}

function stepResponse(result: StepFormResult) {
  switch (result.type) {
    case "saved":
      return json({ saved: result.campaignId });
    case "preview":
      return json({ preview: result });
    case "test_sent":
      return json({ testSent: result });
    case "invalid":
      // Line and column travel with the field so the editor can point into the HTML.
      return json({ error: { code: "invalid_campaign", field: result.field, message: result.message, line: result.line, column: result.column } }, { status: 400 });
    case "not_found":
      return result.field === "id" ? problem(404, "not_found", result.message, "id") : problem(400, "not_found", result.message, result.field);
    case "failed":
      return problem(502, "send_failed", result.message);
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}
