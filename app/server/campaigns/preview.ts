import { randomUUID } from "node:crypto";
import type { Campaign, StepTemplate } from "@cartback/core/campaign/campaign";
import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/names";
import { type Db, campaignSends } from "@cartback/db";
import { sampleRenderInput } from "@cartback/templates";
import { findCatalog, getCatalogRows, liveRowPages } from "../catalog/repository.ts";
import { rowFromRecord } from "../catalog/rows-sql.ts";
import { createMailTransport } from "../mail/index.ts";
import { mailAddressProblem } from "../mail/mail-address.ts";
import type { OutgoingMessage } from "../mail/message.ts";
import type { MailTransport, SendResult } from "../mail/transport.ts";
import { findProfileId, loadProfileState } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { sampleDiscount } from "../discounts/plan.ts";
import { composeMessage } from "./compose.ts";
import { ensureDefaultCampaign, getCampaign, withDraftTemplate } from "./repository.ts";
import { loadShopContext, type ShopContext } from "./shop-context.ts";

export interface PreviewRequest {
  shop: string;
  /** The shop's first campaign when absent. */
  campaignId?: string;
  /** 0-based step index. */
  step: number;
  /** A profile id or email: render with its live cart and the mapped catalog's rows; else the sample cart. */
  profile?: string;
  /**
   * Unsaved edits of the step's template (fields left out keep the saved ones; null is the
   * default template): rendered instead of the saved step, which stays as it is.
   */
  draft?: Partial<StepTemplate> | null;
}

export type PreviewResult =
  | { type: "ok"; message: OutgoingMessage; campaign: Campaign; cart: "profile" | "sample"; profileId?: string }
  | { type: "not_found"; field: "campaign" | "profile" | "step"; message: string }
  /** The draft would not save: the same field, message and position a save reports. */
  | { type: "invalid_template"; field: string; message: string; line?: number; column?: number }
  /** `no_sender`: only a test send can meet it (a preview needs no sender); the template is fine. */
  | { type: "render_error"; message: string; reason?: "no_sender" };

export type TestSendResult =
  | { type: "sent"; messageId: string; transport: MailTransport["kind"]; cart: "profile" | "sample" }
  | Exclude<PreviewResult, { type: "ok" }>
  | { type: "invalid"; field: "to"; message: string }
  | { type: "failed"; message: string };

const db = (runtime: Runtime) => runtime.database.db as Db;

/** The episode id of test sends in `campaign_sends`: they belong to no episode. */
export const TEST_EPISODE = "test";

async function findProfile(runtime: Runtime, shop: string, who: string): Promise<ProfileState | null> {
  const id = who.includes("@") ? await findProfileId(db(runtime), shop, "email", who) : who;
  return id ? loadProfileState(db(runtime), shop, id) : null;
}

/**
 * Rows a sample cart is picked from (pickSampleRows in @cartback/templates): the first live rows of
 * one of this shop's catalogs in key order. A bounded window, not "available first" in SQL: that
 * order would sort the whole catalog (a million rows for some shops) on every designer preview.
 */
const SAMPLE_WINDOW = 50;

async function catalogSample(database: Db, shop: string, catalogName: string): Promise<CatalogRow[]> {
  const catalog = await findCatalog(database, shop, catalogName);
  if (!catalog) return [];
  // The first page of the live rows in id order (the primary key's): the window, with no sort of the whole catalog.
  for await (const page of liveRowPages(database, shop, catalogName, catalog.liveVersion, SAMPLE_WINDOW)) return page.map(rowFromRecord);
  return [];
}

/** The campaign's mapped catalog, else Catalog Sync's: the shop's own products, never anyone else's. */
async function sampleProducts(database: Db, shop: string, mapped: string): Promise<CatalogRow[]> {
  const rows = await catalogSample(database, shop, mapped);
  return rows.length > 0 || mapped === SHOPIFY_CATALOG ? rows : catalogSample(database, shop, SHOPIFY_CATALOG);
}

function sampleProfile(shop: ShopContext, email: string, now: Date, products: CatalogRow[]): { profile: ProfileState; rows: CatalogRow[] } {
  const sample = sampleRenderInput({ shop: { name: shop.name, domain: shop.shop, currency: shop.currency, money_format: shop.moneyFormat }, products });
  return {
    rows: sample.catalogRows,
    profile: {
      shop: shop.shop, profileId: "sample", email, customerId: null, firstName: "Alex", lastName: "Sample", marketingConsent: "subscribed",
      acceptsMarketingAtCheckout: null, timezone: null, cartTokens: [], checkoutTokens: [], charges: [], cartChangedAt: now,
      cart: sample.lines.map((l) => ({ ...l, firstAddedAt: now, lastChangedAt: now })),
    },
  };
}

/**
 * Renders a campaign step as a shopper would get it, through the send path's composer. Test mode
 * (`to` given) marks subject and headers; a preview records nothing.
 */
export async function composePreview(runtime: Runtime, request: PreviewRequest, to?: string): Promise<PreviewResult> {
  const { shop } = request;
  const saved = request.campaignId ? await getCampaign(db(runtime), shop, request.campaignId) : await ensureDefaultCampaign(db(runtime), shop);
  if (!saved) return { type: "not_found", field: "campaign", message: `no campaign ${request.campaignId} for ${shop}` };
  if (!Number.isInteger(request.step) || !saved.steps[request.step]) {
    return { type: "not_found", field: "step", message: `the campaign has steps 1 to ${saved.steps.length}` };
  }
  let campaign = saved;
  if (request.draft !== undefined) {
    const drafted = withDraftTemplate(saved, request.step, request.draft);
    if (drafted.type === "invalid") return { ...drafted, type: "invalid_template" };
    campaign = drafted.campaign;
  }
  const shopContext = await loadShopContext(db(runtime), shop);
  const catalogName = campaign.settings.catalogMapping.catalog;
  let profile: ProfileState;
  let rows: CatalogRow[];
  if (request.profile) {
    const found = await findProfile(runtime, shop, request.profile);
    if (!found) return { type: "not_found", field: "profile", message: `no profile ${request.profile} in ${shop}` };
    profile = found;
    rows = await getCatalogRows(db(runtime), shop, catalogName, found.cart.map((l) => l.variantId));
  } else {
    ({ profile, rows } = sampleProfile(shopContext, to ?? "alex@example.com", new Date(), await sampleProducts(db(runtime), shop, catalogName)));
  }
  const composed = composeMessage({
    appUrl: runtime.config.appUrl, appSecret: runtime.appSecret, mailFrom: runtime.config.mailFrom, shop: shopContext,
    campaign, step: request.step, profile, email: to ?? profile.email ?? "preview@example.com", sendId: randomUUID(), catalogRows: rows,
    mode: to ? "test" : "live", previewOnly: !to,
    // A step with a discount shows a sample code where the real one will go.
    discount: sampleDiscount(campaign.steps[request.step]?.discount, shopContext),
  });
  if (composed.type !== "ok") return { type: "render_error", message: composed.message, ...(composed.type === "no_sender" ? { reason: "no_sender" as const } : {}) };
  return { type: "ok", message: composed.message, campaign, cart: request.profile ? "profile" : "sample", ...(request.profile ? { profileId: profile.profileId } : {}) };
}

/**
 * A test send goes straight to the transport: no caps, no episode. It is listed in the Outbox
 * as a `campaign_sends` row with status `test` (or `test_failed`), which no worker claims, no cap
 * counts and no idempotency key of a real send can collide with.
 */
export async function sendTestEmail(runtime: Runtime, request: PreviewRequest, to: string): Promise<TestSendResult> {
  const problem = mailAddressProblem(to);
  if (problem) return { type: "invalid", field: "to", message: `Test address ${problem}` };
  const preview = await composePreview(runtime, request, to);
  if (preview.type !== "ok") return preview;
  const transport = createMailTransport(runtime.config);
  try {
    const result = await transport.send(preview.message);
    await recordTestSend(db(runtime), request, preview, result, transport.kind);
    if (result.type === "failed") return { type: "failed", message: result.error };
    return { type: "sent", messageId: preview.message.messageId, transport: transport.kind, cart: preview.cart };
  } finally {
    await transport.close();
  }
}

type Composed = Extract<PreviewResult, { type: "ok" }>;

async function recordTestSend(database: Db, request: PreviewRequest, preview: Composed, result: SendResult, kind: MailTransport["kind"]) {
  const now = new Date();
  const sent = result.type === "sent";
  await database.insert(campaignSends).values({
    id: randomUUID(),
    shop: request.shop,
    campaignId: preview.campaign.id,
    episodeId: TEST_EPISODE,
    // The previewed shopper's id, so a redaction of that shopper removes the test email too.
    profileId: preview.profileId ?? "sample",
    step: request.step,
    idempotencyKey: `test:${preview.message.messageId}`,
    status: sent ? "test" : "test_failed",
    toEmail: preview.message.to,
    message: preview.message as unknown as Record<string, unknown>,
    raw: sent ? result.raw : null,
    transport: kind,
    attempts: 1,
    dueAt: now,
    sentAt: sent ? now : null,
    lastError: sent ? null : result.error,
  });
}
