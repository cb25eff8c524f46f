import { createHash } from "node:crypto";
import type { Campaign, StepTemplate } from "@cartback/core/campaign/campaign";
import { type Db, campaignStepDesigns } from "@cartback/db";
import { type BlockDocument, compileDocument, loadDocument, type StarterName, saveDocument, starterDocument } from "@cartback/email-blocks";
import { and, eq } from "drizzle-orm";
import { getCampaign, updateCampaign } from "./repository.ts";

/**
 * The email designer's storage. The step's template (campaigns.steps) is what is sent; the block
 * document beside it is what the designer edits, and every save compiles it into that template in
 * the same transaction. A step whose HTML was edited by hand since (its hash no longer matches)
 * is in HTML mode: the designer does not overwrite hand-written Liquid.
 */
export type StepDesign = {
  campaign: Campaign;
  step: number;
  template: StepTemplate | null;
  /** blocks: the document is the source; html: the step's template is (hand-written or converted). */
  mode: "blocks" | "html";
  document: BlockDocument | null;
  /** A stored document exists but the HTML was changed outside the designer since. */
  editedByHand: boolean;
};

export type DesignLookup = { type: "ok"; design: StepDesign } | { type: "not_found"; field: "id" | "step"; message: string };
export type DesignSave = { type: "saved"; design: StepDesign } | { type: "invalid"; field: string; message: string; line?: number; column?: number } | Extract<DesignLookup, { type: "not_found" }>;

const sha256 = (html: string) => createHash("sha256").update(html).digest("hex");

const where = (shop: string, campaignId: string, step: number) =>
  and(eq(campaignStepDesigns.shop, shop), eq(campaignStepDesigns.campaignId, campaignId), eq(campaignStepDesigns.step, step));

async function findCampaignStep(db: Db, shop: string, campaignId: string, step: number): Promise<{ type: "ok"; campaign: Campaign } | Extract<DesignLookup, { type: "not_found" }>> {
  const campaign = await getCampaign(db, shop, campaignId);
  if (!campaign) return { type: "not_found", field: "id", message: "no such campaign" };
  if (!Number.isInteger(step) || !campaign.steps[step]) return { type: "not_found", field: "step", message: `the campaign has steps 1 to ${campaign.steps.length}` };
  return { type: "ok", campaign };
}

export async function loadStepDesign(db: Db, shop: string, campaignId: string, step: number): Promise<DesignLookup> {
  const found = await findCampaignStep(db, shop, campaignId, step);
  if (found.type !== "ok") return found;
  const template = found.campaign.steps[step]!.template;
  const [row] = await db.select().from(campaignStepDesigns).where(where(shop, campaignId, step));
  const loaded = row ? loadDocument(row.document) : null;
  const document = loaded?.type === "ok" ? loaded.document : null;
  const current = document !== null && template !== null && sha256(template.html) === row?.htmlSha256;
  return { type: "ok", design: { campaign: found.campaign, step, template, mode: current ? "blocks" : "html", document, editedByHand: document !== null && !current } };
}

/** The template a document compiles to for this campaign's catalog mapping. */
export function templateOf(campaign: Campaign, document: BlockDocument): StepTemplate {
  return compileDocument(document, campaign.settings.catalogMapping);
}

/**
 * Saves the document and the step's template compiled from it, both or neither. The template is
 * checked as any save is (syntax, unmapped catalog, trial renders); a refused one stores nothing.
 */
export async function saveStepDesign(db: Db, shop: string, campaignId: string, step: number, input: unknown): Promise<DesignSave> {
  const loaded = loadDocument(input);
  if (loaded.type !== "ok") return loaded;
  const document = saveDocument(loaded.document);
  return db.transaction(async (tx): Promise<DesignSave> => {
    const found = await findCampaignStep(tx as unknown as Db, shop, campaignId, step);
    if (found.type !== "ok") return found;
    const template = templateOf(found.campaign, document);
    const steps = found.campaign.steps.map((s, i) => (i === step ? { delayMs: s.delayMs, template } : { delayMs: s.delayMs }));
    const updated = await updateCampaign(tx as unknown as Db, shop, campaignId, { steps });
    if (updated.type === "not_found") return { type: "not_found", field: "id", message: "no such campaign" };
    if (updated.type === "invalid") return updated;
    const values = { document: document as unknown as Record<string, unknown>, htmlSha256: sha256(template.html), updatedAt: new Date() };
    await tx
      .insert(campaignStepDesigns)
      .values({ shop, campaignId, step, ...values })
      .onConflictDoUpdate({ target: [campaignStepDesigns.shop, campaignStepDesigns.campaignId, campaignStepDesigns.step], set: values });
    return { type: "saved", design: { campaign: updated.campaign, step, template, mode: "blocks", document, editedByHand: false } };
  });
}

/** Starts a step from a starter design (saved at once, so the step sends what the merchant sees). */
export function startFromStarter(db: Db, shop: string, campaignId: string, step: number, starter: StarterName): Promise<DesignSave> {
  return saveStepDesign(db, shop, campaignId, step, starterDocument(starter));
}

/**
 * HTML mode: the compiled template stays the step's template and becomes editable as Liquid; the
 * block document is deleted. One way: hand edits cannot be turned back into blocks.
 */
export async function convertToHtml(db: Db, shop: string, campaignId: string, step: number): Promise<DesignLookup> {
  const found = await findCampaignStep(db, shop, campaignId, step);
  if (found.type !== "ok") return found;
  await db.delete(campaignStepDesigns).where(where(shop, campaignId, step));
  return loadStepDesign(db, shop, campaignId, step);
}
