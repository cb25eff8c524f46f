import { z } from "zod";
import { SHOPIFY_CATALOG } from "../catalog/names.ts";
import { StepDiscount } from "./discount.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Liquid sources of one email (rendered by @cartback/templates). */
export const StepTemplate = z.object({
  subject: z.string().min(1).max(1000),
  preheader: z.string().max(1000).default(""),
  html: z.string().min(1).max(200_000),
});
export type StepTemplate = z.infer<typeof StepTemplate>;

const stepDelay = z.number().int().min(SECOND).max(30 * DAY);

/**
 * An A/B test of one step: `percent` of episodes (deterministically, see variant.ts) get this
 * template and/or delay instead of the step's own. Judged by money in the results, never by opens.
 */
export const StepVariant = z
  .object({
    /** null: the step's own template. */
    template: StepTemplate.nullable().default(null),
    /** null: the step's own delay. */
    delayMs: stepDelay.nullable().default(null),
    percent: z.number().int().min(1).max(99).default(50),
  })
  .refine((v) => v.template !== null || v.delayMs !== null, { message: "variant B needs its own template or delay", path: ["template"] });
export type StepVariant = z.infer<typeof StepVariant>;

/** One email of a campaign. `delayMs` counts from the shopper's last cart change (debounced). */
export const CampaignStep = z.object({
  delayMs: stepDelay,
  /** null: the built-in default template. */
  template: StepTemplate.nullable().default(null),
  /** Absent: no A/B test on this step. */
  variantB: StepVariant.optional(),
  /** A single-use code per email (discount.ts); absent in campaigns stored before discounts. */
  discount: StepDiscount.optional(),
});
export type CampaignStep = z.infer<typeof CampaignStep>;

/** A step comes due at its earlier variant's delay; the other variant's episodes wait on (variant.ts). */
export function earliestDelayMs(step: Pick<CampaignStep, "delayMs" | "variantB">): number {
  return Math.min(step.delayMs, step.variantB?.delayMs ?? step.delayMs);
}

export function latestDelayMs(step: Pick<CampaignStep, "delayMs" | "variantB">): number {
  return Math.max(step.delayMs, step.variantB?.delayMs ?? step.delayMs);
}

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a time like 21:00");

/** A daily window in which nothing is sent; sends due inside it wait for its end. */
export const QuietHours = z.object({
  start: clock,
  end: clock,
  /** Whose clock: the shopper's when known (falls back to the shop's), or always the shop's. */
  zone: z.enum(["shop", "profile"]).default("shop"),
});
export type QuietHours = z.infer<typeof QuietHours>;

/** At most `count` campaign emails to one profile in `windowMs`, across all campaigns. */
export const FrequencyCap = z.object({
  count: z.number().int().min(1).max(100),
  windowMs: z.number().int().min(MINUTE).max(30 * DAY),
});
export type FrequencyCap = z.infer<typeof FrequencyCap>;

/**
 * Which shoppers may receive marketing email: `marketing` needs Shopify's SUBSCRIBED state;
 * `marketing_or_checkout` also accepts the checkout's "email me with news and offers" box;
 * `any_known` sends to every known address that has not opted out (merchant's responsibility).
 */
export const ConsentPolicy = z.enum(["marketing", "marketing_or_checkout", "any_known"]);
export type ConsentPolicy = z.infer<typeof ConsentPolicy>;

/**
 * Profile properties that hold a list of ids a catalog can be joined on. Profiles hold one:
 * the cart's variant ids. Any other name would render an empty product loop, so saving a
 * mapping to one is refused.
 */
export const MAPPABLE_PROPERTIES = ["shopify_cart_ids"] as const;

/**
 * CleverTap's Personalization tab: the ids in a profile property are looked up in a catalog's
 * Identity column. `alias` gives the same rows a second name for templates written against
 * another catalog (the seed's `Catalog.Samplecatalog1`).
 */
export const CatalogMapping = z.object({
  property: z.string().min(1).max(100).default("shopify_cart_ids"),
  catalog: z.string().min(1).max(100).default(SHOPIFY_CATALOG),
  alias: z.string().regex(/^[A-Za-z_][\w-]*$/, "must be a plain catalog name").max(100).optional(),
});
export type CatalogMapping = z.infer<typeof CatalogMapping>;

export const CampaignSettings = z.object({
  /** What happens when the cart is empty at send time: skip (default) or send the empty-cart fallback. */
  emptyCart: z.enum(["skip", "send_fallback"]).default("skip"),
  /** An episode older than this sends nothing more and ends. */
  maxAgeMs: z.number().int().min(MINUTE).max(60 * DAY).default(7 * DAY),
  /** A new episode for a profile starts only this long after its previous one started. */
  cooldownMs: z.number().int().min(0).max(60 * DAY).default(0),
  frequencyCap: FrequencyCap.nullable().default(null),
  quietHours: QuietHours.nullable().default(null),
  consent: ConsentPolicy.default("marketing_or_checkout"),
  // Campaigns stored before mappings existed parse to the Shopify catalog, as they rendered then.
  catalogMapping: CatalogMapping.default({ property: "shopify_cart_ids", catalog: SHOPIFY_CATALOG }),
  /** Percent of episodes held out (no email, a `holdout` decision) to measure the lift; see holdout.ts. */
  holdoutPercent: z.number().int().min(0).max(50).default(0),
});
export type CampaignSettings = z.infer<typeof CampaignSettings>;

export const CAMPAIGN_TRIGGER = "Added to Cart";
export const CAMPAIGN_INACTION = "Charged";

export const Campaign = z
  .object({
    id: z.string().min(1),
    shop: z.string().min(1),
    name: z.string().min(1).max(120),
    active: z.boolean(),
    /** CleverTap's inaction shape; only this pair exists today. */
    trigger: z.literal(CAMPAIGN_TRIGGER).default(CAMPAIGN_TRIGGER),
    inaction: z.literal(CAMPAIGN_INACTION).default(CAMPAIGN_INACTION),
    steps: z.array(CampaignStep).min(1).max(10),
    settings: CampaignSettings,
  })
  .refine((c) => c.steps.every((s, i) => i === 0 || earliestDelayMs(s) > latestDelayMs(c.steps[i - 1]!)), {
    message: "step delays must increase",
    path: ["steps"],
  });
export type Campaign = z.infer<typeof Campaign>;

/** The campaign a new shop starts with: one email 15 minutes after the last cart change. */
export function defaultCampaign(id: string, shop: string): Campaign {
  return Campaign.parse({
    id,
    shop,
    name: "Abandoned cart",
    active: true,
    steps: [{ delayMs: 15 * MINUTE }],
    settings: {},
  });
}

export const DURATION = { SECOND, MINUTE, HOUR, DAY } as const;
