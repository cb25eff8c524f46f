import type { Campaign, StepTemplate } from "@cartback/core/campaign/campaign";
import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import { shopifyCartIds } from "@cartback/core/profile/state";
import { type CompiledTemplate, DEFAULT_TEMPLATE, buildRecoveryUrl, compileTemplate, renderEmail, sampleRenderInput } from "@cartback/templates";
import type { OutgoingMessage } from "../mail/message.ts";
import { resolveSender } from "../mail/sender.ts";
import { signUnsubscribeToken, unsubscribeHeaders } from "../mail/unsubscribe.ts";
import { trackEmailLinks } from "../revenue/track.ts";
import type { ShopContext } from "./shop-context.ts";

export interface ComposeInput {
  appUrl: string;
  appSecret: string;
  /** MAIL_FROM, used when the shop has no sender of its own. */
  mailFrom: string | undefined;
  shop: ShopContext;
  campaign: Campaign;
  step: number;
  profile: ProfileState;
  email: string;
  sendId: string;
  catalogRows: CatalogRow[];
  mode?: "live" | "test";
  /** Milliseconds the render may take (SEND_RENDER_BUDGET_MS inside the web process); the engine's limit when absent. */
  renderBudgetMs?: number;
  /** Rendered to look at, never sent: a missing sender shows as a placeholder instead of refusing. */
  previewOnly?: boolean;
  /** This email's discount code (Liquid `discount_code`, `discount_description`); see discounts/plan.ts. */
  discount?: { code: string; description: string } | null;
}

/** How long a due step waits when the shop has no sender, before it is looked at again. */
export const NO_SENDER_RETRY_MS = 15 * 60 * 1000;

/** `.invalid` can never be delivered to (RFC 2606): what a preview shows while no sender is set. */
const PREVIEW_PLACEHOLDER_ADDRESS = "sender-not-set@example.invalid";

export type ComposeResult =
  | { type: "ok"; message: OutgoingMessage }
  /**
   * `retryable`: the render ran out of its send-time budget (SEND_RENDER_BUDGET_MS), which a
   * template that passed its save check only does on a starved machine: try again later.
   */
  | { type: "error"; message: string; retryable?: boolean }
  /** No sender settings, MAIL_FROM or store contact email: nothing can be sent yet. */
  | { type: "no_sender"; message: string };

const compiled = new Map<string, CompiledTemplate | string>();
/** By template object: a batch's emails share their campaign's, so the source is keyed once per batch, not per email. */
const byObject = new WeakMap<StepTemplate, { subject: string; preheader: unknown; html: string; entry: CompiledTemplate | string }>();

/** Compiled once per distinct source; a broken template is remembered as its error. */
function compiledFor(source: StepTemplate | null): CompiledTemplate | string {
  const template = source ?? DEFAULT_TEMPLATE;
  const known = byObject.get(template);
  // The same object still holding the same strings (one edited in place compiles again).
  if (known && known.subject === template.subject && known.preheader === template.preheader && known.html === template.html) return known.entry;
  const entry = compiledForSource(template);
  byObject.set(template, { subject: template.subject, preheader: template.preheader, html: template.html, entry });
  return entry;
}

function compiledForSource(template: StepTemplate): CompiledTemplate | string {
  const key = JSON.stringify(template);
  let entry = compiled.get(key);
  if (entry === undefined) {
    const result = compileTemplate({ subject: template.subject, preheader: template.preheader, html: template.html });
    entry = result.type === "ok" ? result.template : `${result.type}: ${result.message}`;
    // The first render of a template pays for the engine's warm-up (tens of ms, cold JIT):
    // pay it here, unbudgeted and once, not out of the first shopper's send budget.
    if (result.type === "ok") renderEmail(result.template, sampleRenderInput());
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, entry);
  }
  return entry;
}

/**
 * A line Catalog Sync has not seen yet still appears (named generically, at the cart's price)
 * so that a non-empty cart never renders an empty email.
 */
function rowsWithFallback(profile: ProfileState, rows: CatalogRow[], currency: string): CatalogRow[] {
  const known = new Set(rows.map((r) => r.Identity));
  const extra = profile.cart
    .filter((line) => !known.has(line.variantId))
    .map((line): CatalogRow => ({
      Identity: line.variantId, Name: "Item in your cart", ImageURL: null, Price: line.unitPrice, CompareAtPrice: null,
      Currency: line.currency ?? currency, ProductURL: null, SKU: null, Available: true, InventoryQuantity: null,
      Vendor: null, ProductType: null, Handle: null, ProductId: null, Status: null, UpdatedAt: null,
    }));
  return [...rows, ...extra];
}

export function composeMessage(input: ComposeInput): ComposeResult {
  const { shop, profile, campaign } = input;
  const template = compiledFor(campaign.steps[input.step]?.template ?? null);
  if (typeof template === "string") return { type: "error", message: template };
  const host = new URL(input.appUrl).hostname;
  const sender = resolveSender({ shopName: shop.name, sender: shop.sender, mailFrom: input.mailFrom, contactEmail: shop.contactEmail });
  if (sender.type === "no_sender" && !input.previewOnly) return sender;
  const from = sender.type === "ok" ? sender.from : { name: shop.sender.fromName ?? shop.name, address: PREVIEW_PLACEHOLDER_ADDRESS };
  const token = signUnsubscribeToken(input.appSecret, shop.shop, input.email);
  const unsubscribe = unsubscribeHeaders(input.appUrl, from.address, token);
  const rows = rowsWithFallback(profile, input.catalogRows, shop.currency);
  const price = new Map(rows.map((r) => [r.Identity, r.Price]));
  const lines = profile.cart.map((line) => ({
    variantId: line.variantId,
    quantity: line.quantity,
    unitPrice: line.unitPrice ?? price.get(line.variantId) ?? 0,
    currency: line.currency ?? shop.currency,
  }));
  const recovery = lines.length > 0
    ? buildRecoveryUrl({ shopDomain: shop.shop, storefrontOrigin: shop.storefrontOrigin ?? undefined, lines, token: input.sendId, utm: { campaign: campaign.name } })
    : null;
  // Live sends only: the restore link (and, with click tracking, the shop's other links) go through the click redirect.
  const tracker = input.mode !== "test" && !input.previewOnly ? trackEmailLinks({ appUrl: input.appUrl, secret: input.appSecret, shop, sendId: input.sendId }) : null;
  const restoreUrl = recovery?.type === "ok" ? recovery.url : `https://${shop.shop}/cart`;
  const rendered = renderEmail(template, {
    profile: { shopify_cart_ids: shopifyCartIds(profile), Email: input.email },
    customer: { first_name: profile.firstName, last_name: profile.lastName, email: input.email },
    lines,
    catalogRows: rows,
    mapping: campaign.settings.catalogMapping,
    shop: {
      name: shop.name, domain: shop.shop, money_format: shop.moneyFormat, currency: shop.currency,
      ...(shop.moneyWithCurrencyFormat ? { money_with_currency_format: shop.moneyWithCurrencyFormat } : {}),
    },
    recovery_url: tracker ? tracker.recovery(restoreUrl) : restoreUrl,
    unsubscribe_url: unsubscribe.url,
    discount_code: input.discount?.code ?? null,
    discount_description: input.discount?.description ?? null,
    mode: input.mode ?? "live",
  }, { budgetMs: input.renderBudgetMs });
  if (rendered.type !== "ok") {
    const retryable = rendered.type === "limit_exceeded" && rendered.limit === "render";
    return { type: "error", message: `${rendered.type}: ${rendered.message}`, ...(retryable ? { retryable } : {}) };
  }
  if (rendered.itemCount === 0 && lines.length > 0) return { type: "error", message: "rendered no products for a non-empty cart" };
  return {
    type: "ok",
    message: {
      messageId: `<${input.sendId}@${host}>`,
      from,
      replyTo: shop.sender.replyTo,
      to: input.email,
      subject: rendered.subject,
      html: tracker ? tracker.html(rendered.html) : rendered.html,
      text: rendered.text,
      headers: { ...rendered.headers, ...unsubscribe.headers, "X-Cartback-Send": input.sendId },
    },
  };
}
