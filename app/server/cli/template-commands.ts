import { readFile, writeFile } from "node:fs/promises";
import type { Campaign, StepTemplate } from "@cartback/core/campaign/campaign";
import type { Db } from "@cartback/db";
import { DEFAULT_TEMPLATE } from "@cartback/templates";
import { type PreviewRequest, composePreview, sendTestEmail } from "../campaigns/preview.ts";
import { ensureDefaultCampaign, getCampaign, updateCampaign } from "../campaigns/repository.ts";
import type { Runtime } from "../runtime.ts";
import type { Args } from "./args.ts";
import { type Out, UsageError } from "./commands.ts";

const db = (runtime: Runtime) => runtime.database.db as Db;

/** `--step 1` (1-based, default 1) → 0-based index. */
function stepIndex(args: Args): number {
  const value = args.flags.get("step") ?? "1";
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError("--step: expected a step number like 1");
  return Number(value) - 1;
}

async function target(runtime: Runtime, shop: string, id: string | undefined): Promise<Campaign> {
  const found = id ? await getCampaign(db(runtime), shop, id) : await ensureDefaultCampaign(db(runtime), shop);
  if (!found) throw new UsageError(`no campaign ${id} for ${shop}`);
  return found;
}

const DRAFT_FLAGS = "[--subject S] [--preheader P] [--html-file path] [--default]";
const USAGE_TEMPLATE = `usage: cartback template <shop> [campaign-id] --step 1 ${DRAFT_FLAGS} [--catalog NAME] [--alias NAME|""] [--property NAME]`;

/** Shows or edits one step's template and the campaign's catalog mapping; validated by updateCampaign. */
export async function template(runtime: Runtime, args: Args, out: Out) {
  const [shop, id] = args.positional;
  if (!shop) throw new UsageError(USAGE_TEMPLATE);
  const campaign = await target(runtime, shop, id);
  const step = stepIndex(args);
  if (!campaign.steps[step]) throw new UsageError(`--step: the campaign has steps 1 to ${campaign.steps.length}`);
  const known = new Set(["step", "subject", "preheader", "html-file", "default", "catalog", "alias", "property", "json"]);
  for (const flag of args.flags.keys()) if (!known.has(flag)) throw new UsageError(`--${flag}: unknown flag\n${USAGE_TEMPLATE}`);
  const f = args.flags;
  const patch: { steps?: { delayMs: number; template?: unknown }[]; settings?: { catalogMapping: Record<string, string | null> } } = {};
  const draft = await draftFlags(args);
  if (draft !== undefined) {
    const next = draft === null ? null : { ...(campaign.steps[step]!.template ?? DEFAULT_TEMPLATE), ...draft };
    patch.steps = campaign.steps.map((s, i) => (i === step ? { delayMs: s.delayMs, template: next } : { delayMs: s.delayMs }));
  }
  const mapping: Record<string, string | null> = {};
  for (const key of ["catalog", "alias", "property"] as const) {
    const value = f.get(key);
    if (value !== undefined) mapping[key] = key === "alias" && value === "" ? null : value;
  }
  if (Object.keys(mapping).length > 0) patch.settings = { catalogMapping: mapping };
  let shown = campaign;
  if (patch.steps || patch.settings) {
    const result = await updateCampaign(db(runtime), shop, campaign.id, patch);
    if (result.type === "not_found") throw new UsageError(`no campaign ${campaign.id} for ${shop}`);
    if (result.type === "invalid") throw templateUsageError(result);
    shown = result.campaign;
  }
  const t = shown.steps[step]!.template;
  const m = shown.settings.catalogMapping;
  out({ campaign: shown.id, step: step + 1, template: t, catalogMapping: m }, [
    `${shown.name} (${shown.id}) step ${step + 1}: ${t ? "custom template" : "default template"}`,
    `subject: ${(t ?? DEFAULT_TEMPLATE).subject}`,
    `preheader: ${(t ?? DEFAULT_TEMPLATE).preheader}`,
    `html: ${(t ?? DEFAULT_TEMPLATE).html.length} characters`,
    `catalog mapping: profile.${m.property} → Catalog["${m.catalog}"]${m.alias ? ` (alias Catalog.${m.alias})` : ""}`,
  ].join("\n"));
}

/**
 * Preview and test-email render the saved step, or a draft of it: `--subject`, `--preheader`,
 * `--html-file` replace those fields and `--default` the whole template, without saving.
 */
async function previewRequest(args: Args, shop: string, campaignId: string | undefined): Promise<PreviewRequest> {
  const profile = args.flags.get("profile");
  const draft = await draftFlags(args);
  return { shop, step: stepIndex(args), ...(campaignId ? { campaignId } : {}), ...(profile ? { profile } : {}), ...(draft !== undefined ? { draft } : {}) };
}

/** The template flags: undefined when none is given, null for `--default`, else the fields given. */
async function draftFlags(args: Args): Promise<Partial<StepTemplate> | null | undefined> {
  const f = args.flags;
  const edits = f.has("subject") || f.has("preheader") || f.has("html-file");
  if (edits && f.has("default")) throw new UsageError("--default: cannot be combined with --subject, --preheader or --html-file");
  if (f.has("default")) return null;
  if (!edits) return undefined;
  const draft: Partial<StepTemplate> = {};
  if (f.has("subject")) draft.subject = f.get("subject")!;
  if (f.has("preheader")) draft.preheader = f.get("preheader")!;
  if (f.has("html-file")) {
    const html = await readFile(f.get("html-file")!, "utf8").catch(() => null);
    if (html === null) throw new UsageError(`--html-file: cannot read ${f.get("html-file")}`);
    draft.html = html;
  }
  return draft;
}

function templateUsageError(result: { field: string; message: string; line?: number; column?: number }): UsageError {
  const at = result.line !== undefined ? ` (line ${result.line}, column ${result.column})` : "";
  return new UsageError(`${result.field}${at}: ${result.message}`);
}

/** Renders a step with a real profile's live cart (or the sample cart) and prints it; nothing is sent. */
export async function preview(runtime: Runtime, args: Args, out: Out) {
  const [shop, id] = args.positional;
  if (!shop) throw new UsageError(`usage: cartback preview <shop> [campaign-id] [--step 1] [--profile <profile-id|email>] ${DRAFT_FLAGS} [--out file.html]`);
  const result = await composePreview(runtime, await previewRequest(args, shop, id));
  if (result.type === "not_found") throw new UsageError(`${result.field === "step" ? "--step" : result.field}: ${result.message}`);
  if (result.type === "invalid_template") throw templateUsageError(result);
  if (result.type === "render_error") throw new UsageError(`template: ${result.message}`);
  const file = args.flags.get("out");
  if (file) await writeFile(file, result.message.html);
  const { subject, text, html } = result.message;
  out({ subject, text, html, cart: result.cart }, [`subject: ${subject}`, `cart: ${result.cart}`, "", text, ...(file ? ["", `html written to ${file}`] : [])].join("\n"));
}

/** Sends a step marked as a test (`[Test]`, X-Cartback-Test) to any address; not recorded or counted. */
export async function testEmail(runtime: Runtime, args: Args, out: Out) {
  const [shop, to] = args.positional;
  if (!shop || !to) throw new UsageError(`usage: cartback test-email <shop> <to@example.com> [--profile <profile-id|email>] [--step 1] [--campaign ID] ${DRAFT_FLAGS}`);
  const result = await sendTestEmail(runtime, await previewRequest(args, shop, args.flags.get("campaign")), to);
  switch (result.type) {
    case "sent":
      out(result, `sent ${result.messageId} via ${result.transport} (${result.cart} cart)`);
      return;
    case "invalid":
      throw new UsageError(`${result.field}: ${result.message}`);
    case "not_found":
      throw new UsageError(`${result.field === "step" ? "--step" : result.field}: ${result.message}`);
    case "invalid_template":
      throw templateUsageError(result);
    case "render_error":
      throw new UsageError(`template: ${result.message}`);
    case "failed":
      throw new UsageError(`not sent: ${result.message}`);
    default: {
      const unreachable: never = result;
      throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
    }
  }
}
