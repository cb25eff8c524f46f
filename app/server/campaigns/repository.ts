import { randomUUID } from "node:crypto";
import { Campaign, CampaignSettings, CampaignStep, CatalogMapping, MAPPABLE_PROPERTIES, StepTemplate, StepVariant, defaultCampaign } from "@cartback/core/campaign/campaign";
import { StepDiscount } from "@cartback/core/campaign/discount";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/names";
import { type Db, campaigns } from "@cartback/db";
import { DEFAULT_TEMPLATE, ENGINE_LIMITS, TRIAL_CART_ITEMS, compileTemplate, trialRender } from "@cartback/templates";
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { listCatalogs } from "../catalog/repository.ts";

type Row = typeof campaigns.$inferSelect;

export function campaignFromRow(row: Row): Campaign {
  return Campaign.parse({ id: row.id, shop: row.shop, name: row.name, active: row.active, steps: row.steps, settings: row.settings });
}

/** The shop's campaigns, oldest first; deleted ones are gone from here (and from everything that runs). */
export async function listCampaigns(db: Db, shop: string): Promise<Campaign[]> {
  const rows = await db.select().from(campaigns).where(and(eq(campaigns.shop, shop), isNull(campaigns.deletedAt))).orderBy(asc(campaigns.createdAt), asc(campaigns.id));
  return rows.map(campaignFromRow);
}

export async function getCampaign(db: Db, shop: string, id: string): Promise<Campaign | null> {
  const [row] = await db.select().from(campaigns).where(and(eq(campaigns.shop, shop), eq(campaigns.id, id), isNull(campaigns.deletedAt)));
  return row ? campaignFromRow(row) : null;
}

/**
 * The campaigns of a scheduler batch's shops, in one statement: the live ones by `shop\nid`
 * (a deleted one is absent: its episodes end as such), and the shops that have or had more
 * than one campaign (the cross-campaign cap concerns only those).
 */
export async function campaignsOfBatch(db: Db, refs: { shop: string }[]): Promise<{ byKey: Map<string, Campaign>; severalShops: Set<string> }> {
  if (refs.length === 0) return { byKey: new Map(), severalShops: new Set() };
  const rows = await db.select().from(campaigns).where(inArray(campaigns.shop, [...new Set(refs.map((r) => r.shop))]));
  const perShop = new Map<string, number>();
  for (const row of rows) perShop.set(row.shop, (perShop.get(row.shop) ?? 0) + 1);
  return {
    byKey: new Map(rows.filter((row) => row.deletedAt === null).map((row) => [`${row.shop}\n${row.id}`, campaignFromRow(row)])),
    severalShops: new Set([...perShop].filter(([, n]) => n > 1).map(([shop]) => shop)),
  };
}

/**
 * Names tell campaigns apart on every page (Campaigns, Results, timelines), so a shop's live
 * campaigns never share one, whatever the case. `except`: the campaign being renamed.
 */
export async function nameTaken(db: Db, shop: string, name: string, except?: string): Promise<boolean> {
  // Compared here, not with SQL lower(): under the C collation that lowers ASCII only.
  const wanted = name.trim().toLowerCase();
  return (await listCampaigns(db, shop)).some((c) => c.id !== except && c.name.trim().toLowerCase() === wanted);
}

export function nameTakenMessage(name: string): string {
  return `another campaign is already named "${name.trim()}"`;
}

/** A shop without campaigns gets the default one (15 minutes, one step, active). */
export async function ensureDefaultCampaign(db: Db, shop: string, id: string = randomUUID()): Promise<Campaign> {
  const existing = await listCampaigns(db, shop);
  if (existing[0]) return existing[0];
  const campaign = defaultCampaign(id, shop);
  await db.insert(campaigns).values({ id, shop, name: campaign.name, active: campaign.active, steps: campaign.steps, settings: campaign.settings });
  return campaign;
}

/** A step in a patch: a missing `template` keeps the step's current one (null = the default). */
// `discount`: null removes it; absent keeps the step's own (discounts/discount-form.ts). `variantB` likewise (variant-form.ts).
export const StepPatch = z.object({
  delayMs: CampaignStep.shape.delayMs, template: StepTemplate.nullable().optional(), discount: StepDiscount.nullable().optional(), variantB: StepVariant.nullable().optional(),
});
export type StepPatch = z.infer<typeof StepPatch>;

/** Only the mapping fields given change; `alias: null` removes the alias. */
export const CatalogMappingPatch = z.object({
  property: z
    .enum(MAPPABLE_PROPERTIES, { error: `Cartback profiles hold one list of ids to map: ${MAPPABLE_PROPERTIES.join(", ")} (the cart's variant ids); another property would show no products` })
    .optional(),
  catalog: CatalogMapping.shape.catalog.unwrap().optional(),
  alias: CatalogMapping.shape.alias.unwrap().nullable().optional(),
});

/** What an operator may change; every field optional, validated as a whole afterwards. */
export const CampaignPatch = z.object({
  name: z.string().min(1).max(120).optional(),
  active: z.boolean().optional(),
  steps: z.array(StepPatch).min(1).max(10).optional(),
  settings: CampaignSettings.partial().extend({ catalogMapping: CatalogMappingPatch.optional() }).optional(),
});
export type CampaignPatch = z.infer<typeof CampaignPatch>;

export type UpdateResult =
  | { type: "ok"; campaign: Campaign }
  | { type: "not_found" }
  | { type: "invalid"; field: string; message: string; line?: number; column?: number };

export async function updateCampaign(db: Db, shop: string, id: string, patch: unknown): Promise<UpdateResult> {
  const parsedPatch = CampaignPatch.safeParse(patch);
  if (!parsedPatch.success) return invalid(parsedPatch.error);
  const current = await getCampaign(db, shop, id);
  if (!current) return { type: "not_found" };
  const p = parsedPatch.data;
  // zod fills a partial object's missing keys with their defaults: keep only the settings the
  // patch names, or `--cap off` would also reset quiet hours, consent and the rest.
  const named = (patch as { settings?: Record<string, unknown> }).settings ?? {};
  const { catalogMapping, ...parsedSettings } = p.settings ?? {};
  const settings = Object.fromEntries(Object.entries(parsedSettings).filter(([key]) => key in named));
  const mapping: Record<string, unknown> = { ...current.settings.catalogMapping, ...catalogMapping };
  if (mapping.alias === null) delete mapping.alias;
  const merged = Campaign.safeParse({
    ...current,
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.active !== undefined ? { active: p.active } : {}),
    ...(p.steps !== undefined ? { steps: p.steps.map((step, i) => ({ delayMs: step.delayMs, template: step.template === undefined ? (current.steps[i]?.template ?? null) : step.template, ...keptDiscount(step, current.steps[i]), ...keptVariant(step, current.steps[i]) })) } : {}),
    settings: { ...current.settings, ...settings, catalogMapping: mapping },
  });
  if (!merged.success) return invalid(merged.error);
  const c = merged.data;
  const broken = templateProblem(c);
  if (broken) return broken;
  // Only a new name is checked: a shop whose campaigns already shared one can still save them.
  if (c.name !== current.name && (await nameTaken(db, shop, c.name, id))) return { type: "invalid", field: "name", message: nameTakenMessage(c.name) };
  // Likewise a new catalog only: a campaign whose catalog was deleted can still be paused or edited.
  if (c.settings.catalogMapping.catalog !== current.settings.catalogMapping.catalog) {
    const unknown = await unknownCatalog(db, shop, c.settings.catalogMapping.catalog);
    if (unknown) return { type: "invalid", ...unknown };
  }
  await db
    .update(campaigns)
    .set({ name: c.name, active: c.active, steps: c.steps, settings: c.settings, updatedAt: new Date() })
    .where(and(eq(campaigns.shop, shop), eq(campaigns.id, id)));
  return { type: "ok", campaign: c };
}

/**
 * A catalog name that no catalog of the shop has would save, and every email would then show
 * the fallback row instead of the products. Catalog Sync's catalog is always allowed: its row
 * appears with the first sync.
 */
async function unknownCatalog(db: Db, shop: string, name: string): Promise<{ field: string; message: string } | null> {
  if (name === SHOPIFY_CATALOG) return null;
  const names = (await listCatalogs(db, shop)).map((c) => c.name);
  if (names.includes(name)) return null;
  const known = [SHOPIFY_CATALOG, ...names.filter((n) => n !== SHOPIFY_CATALOG)];
  return { field: "catalog", message: `no catalog is named "${name}"; this shop's catalogs: ${known.join(", ")}` };
}

/**
 * The campaign as it would be with one step's template replaced by unsaved edits (fields left
 * out keep the saved ones; null is the default template), checked exactly as a save would be.
 * Nothing is written: preview and test send render drafts.
 */
export function withDraftTemplate(campaign: Campaign, step: number, draft: Partial<StepTemplate> | null): Exclude<UpdateResult, { type: "not_found" }> {
  const saved = campaign.steps[step]?.template ?? DEFAULT_TEMPLATE;
  const template = draft === null ? null : { ...saved, ...draft };
  const parsed = Campaign.safeParse({ ...campaign, steps: campaign.steps.map((s, i) => (i === step ? { ...s, template } : s)) });
  if (!parsed.success) return invalid(parsed.error);
  return templateProblem(parsed.data) ?? { type: "ok", campaign: parsed.data };
}

/** Templates are compiled before saving so that a merchant sees a syntax error now, not at send time. */
function templateProblem(campaign: Campaign): Extract<UpdateResult, { type: "invalid" }> | null {
  // Each step's template and its A/B variant's: `steps.0.template` or `steps.0.variantB.template`.
  const templates = campaign.steps.flatMap((step, i) => [[`steps.${i}.template`, step.template] as const, [`steps.${i}.variantB.template`, step.variantB?.template ?? null] as const]);
  for (const [at, template] of templates) {
    if (!template) continue;
    const compiled = compileTemplate(template);
    switch (compiled.type) {
      case "ok": {
        const unmapped = unmappedCatalog(campaign, template);
        if (unmapped) return { type: "invalid", field: `${at}.${unmapped.field}`, message: unmapped.message };
        const failed = trialRender(compiled.template, campaign.settings.catalogMapping);
        if (failed) return { type: "invalid", field: `${at}.${failed.field}`, message: trialMessage(failed) };
        continue;
      }
      case "syntax_error":
        return { type: "invalid", field: `${at}.${compiled.field}`, message: compiled.message, line: compiled.line, column: compiled.column };
      case "limit_exceeded":
        return { type: "invalid", field: `${at}.${compiled.field}`, message: compiled.message };
      default: {
        const unreachable: never = compiled;
        throw new Error(`unexpected ${JSON.stringify(unreachable)}`);
      }
    }
  }
  return null;
}

/** What a merchant reads when the save-time renders (sample cart, 50-item cart) fail. */
function trialMessage(failed: NonNullable<ReturnType<typeof trialRender>>): string {
  if (failed.type !== "limit_exceeded") return `${failed.message} (when rendering a sample cart)`;
  switch (failed.limit) {
    case "render":
      return `takes too long to render: over ${ENGINE_LIMITS.renderLimit} ms for a cart of ${TRIAL_CART_ITEMS} items. Simplify loops and filters`;
    case "memory":
    case "output":
      return `produces too much output for a cart of ${TRIAL_CART_ITEMS} items. Simplify loops and filters`;
    default:
      return failed.message;
  }
}

const CATALOG_REFERENCE = /\bCatalog(?:\.([A-Za-z_][\w-]*)|\[\s*["']([^"']+)["']\s*\])/g;

/**
 * A template naming a catalog the campaign does not map (CleverTap's seed says
 * `Catalog.Samplecatalog1`) would loop over nothing and send an email without products.
 */
function unmappedCatalog(campaign: Campaign, template: StepTemplate): { field: "subject" | "preheader" | "html"; message: string } | null {
  const { catalog, alias } = campaign.settings.catalogMapping;
  for (const field of ["subject", "preheader", "html"] as const) {
    for (const match of template[field].matchAll(CATALOG_REFERENCE)) {
      const name = match[1] ?? match[2]!;
      if (name !== catalog && name !== alias) {
        return { field, message: `Catalog.${name} is not mapped: this campaign reads Catalog["${catalog}"]${alias ? ` (alias ${alias})` : ""}; set the alias to ${name} or map that catalog` };
      }
    }
  }
  return null;
}

function invalid(error: z.ZodError): Extract<UpdateResult, { type: "invalid" }> {
  const issue = error.issues[0];
  return { type: "invalid", field: issue?.path.join(".") || "(root)", message: issue?.message ?? "invalid" };
}

function keptDiscount(patch: StepPatch, current: Campaign["steps"][number] | undefined): { discount?: StepDiscount } {
  const discount = patch.discount === undefined ? current?.discount : patch.discount;
  return discount ? { discount } : {};
}

function keptVariant(patch: StepPatch, current: Campaign["steps"][number] | undefined): { variantB?: StepVariant } {
  const variantB = patch.variantB === undefined ? current?.variantB : patch.variantB;
  return variantB ? { variantB } : {};
}
