import { SHOPIFY_CATALOG } from "@cartback/core/catalog/names";
import { formatMoney } from "@cartback/core/money-format";
import { type Db, campaignSends, shops } from "@cartback/db";
import { and, desc, eq } from "drizzle-orm";
import { runFullSync } from "../catalog/sync.ts";
import { catalogDeps } from "../catalog/deps.ts";
import { catalogSyncStatus, progressLine } from "../catalog/status.ts";
import { ensureDefaultCampaign, listCampaigns, updateCampaign } from "../campaigns/repository.ts";
import { loadShopContext, updateSender } from "../campaigns/shop-context.ts";
import { profileView } from "../profile-views/timeline.ts";
import { findProfileId } from "../profiles/repository.ts";
import { shopMoney } from "../shops/shop-money.ts";
import type { Runtime } from "../runtime.ts";
import { parseCampaignInput } from "../../shared/campaign-input.ts";
import { formatDuration } from "../../shared/durations.ts";
import type { Args } from "./args.ts";

export type Out = (value: unknown, text?: string) => void;
/** A command's expected failure: printed as one line, exit code 1. */
export class UsageError extends Error {}

const db = (runtime: Runtime) => runtime.database.db as Db;

export async function listShops(runtime: Runtime, _args: Args, out: Out) {
  const rows = await db(runtime).select().from(shops).orderBy(shops.shop);
  out(rows, rows.map((s) => `${s.shop}\t${s.timezone}\t${s.currency}\t${s.uninstalledAt ? "uninstalled" : "installed"}`).join("\n") || "(no shops)");
}

export async function campaign(runtime: Runtime, args: Args, out: Out) {
  const [shop, id] = args.positional;
  if (!shop) throw new UsageError("usage: cartback campaign <shop> [campaign-id] [--delay 15m|--steps 15m,24h] [--active true|false] [--cap 2/24h|off] [--quiet 21:00-08:00[@profile]|off] [--max-age 7d] [--cooldown 1h] [--holdout 10] [--empty-cart skip|send_fallback] [--consent marketing|marketing_or_checkout|any_known] [--catalog NAME] [--alias NAME|\"\"] [--property NAME]");
  const existing = await listCampaigns(db(runtime), shop);
  const target = id ? existing.find((c) => c.id === id) : (existing[0] ?? (await ensureDefaultCampaign(db(runtime), shop)));
  if (!target) throw new UsageError(`no campaign ${id} for ${shop}`);
  const { json: _json, ...values } = Object.fromEntries(args.flags);
  const flags = parseCampaignInput(values);
  if (flags.type === "invalid") throw new UsageError(`--${flags.field}: ${flags.message}`);
  let shown = target;
  if (Object.keys(flags.patch).length > 0) {
    const result = await updateCampaign(db(runtime), shop, target.id, flags.patch);
    if (result.type === "invalid") throw new UsageError(`${result.field}: ${result.message}`);
    if (result.type === "not_found") throw new UsageError(`no campaign ${target.id} for ${shop}`);
    shown = result.campaign;
  }
  const s = shown.settings;
  out(shown, [
    `${shown.name} (${shown.id}) — ${shown.active ? "active" : "paused"}`,
    `trigger ${shown.trigger}, exits on ${shown.inaction}`,
    `steps: ${shown.steps.map((step) => `${formatDuration(step.delayMs)}${step.template ? " (custom template)" : ""}`).join(", ")}`,
    `max age ${formatDuration(s.maxAgeMs)}, cool-down ${formatDuration(s.cooldownMs)}, empty cart: ${s.emptyCart}, consent: ${s.consent}`,
    `frequency cap: ${s.frequencyCap ? `${s.frequencyCap.count} per ${formatDuration(s.frequencyCap.windowMs)}` : "off"}`,
    `quiet hours: ${s.quietHours ? `${s.quietHours.start}-${s.quietHours.end} (${s.quietHours.zone} time)` : "off"}`,
    `holdout: ${s.holdoutPercent}% of episodes get no email (to measure the lift)`,
    `catalog mapping: profile.${s.catalogMapping.property} → Catalog["${s.catalogMapping.catalog}"]${s.catalogMapping.alias ? ` (alias Catalog.${s.catalogMapping.alias})` : ""}`,
  ].join("\n"));
}

export async function profile(runtime: Runtime, args: Args, out: Out) {
  const [shop, who] = args.positional;
  if (!shop || !who) throw new UsageError("usage: cartback profile <shop> <profile-id|email>");
  const id = who.includes("@") ? await findProfileId(db(runtime), shop, "email", who) : who;
  const view = id ? await profileView(db(runtime), shop, id) : null;
  if (!view) throw new UsageError(`no profile ${who} in ${shop}`);
  const st = view.state;
  const shopFormat = await shopMoney(db(runtime), shop);
  const money = (m: number | null, c: string | null) => (m === null ? "?" : formatMoney(m, c ?? shopFormat.currency, shopFormat));
  out(view, [
    `profile ${st.profileId}: ${st.email ?? "(no email)"} consent ${st.marketingConsent}${st.acceptsMarketingAtCheckout ? " (accepted at checkout)" : ""}`,
    `identities: ${view.identities.join(", ")}`,
    `cart (${st.cart.length} line(s), changed ${st.cartChangedAt?.toISOString() ?? "never"}):`,
    ...st.cart.map((l) => `  ${l.variantId} × ${l.quantity} @ ${money(l.unitPrice, l.currency)}`),
    `charges: ${st.charges.map((c) => `${c.orderId} at ${c.at.toISOString()}`).join(", ") || "none"}`,
    "timeline:",
    ...view.timeline.map((e) =>
      e.kind === "event"
        ? `  ${e.at} event ${e.name} (${e.source})`
        : `  ${e.at} decision step ${e.step + 1}: ${e.outcome}${e.reason ? ` — ${e.reason}` : ""}${e.until ? ` until ${e.until}` : ""}${e.detail ? ` (${e.detail})` : ""}`,
    ),
  ].join("\n"));
}

export async function catalogSync(runtime: Runtime, args: Args, out: Out) {
  const [shop] = args.positional;
  if (!shop) throw new UsageError("usage: cartback catalog-sync <shop>");
  const result = await runFullSync(catalogDeps(runtime), shop, {
    onPoll: () => {
      catalogSyncStatus(db(runtime), shop).then(
        (status) => process.stderr.write(`${progressLine(status)}\n`),
        () => {},
      );
    },
  });
  out(result, `${SHOPIFY_CATALOG}: ${JSON.stringify(result)}`);
}

export async function outbox(runtime: Runtime, args: Args, out: Out) {
  const [shop] = args.positional;
  const limit = Number(args.flags.get("limit") ?? 20);
  const rows = await db(runtime)
    .select({ id: campaignSends.id, shop: campaignSends.shop, to: campaignSends.toEmail, status: campaignSends.status, step: campaignSends.step, createdAt: campaignSends.createdAt, sentAt: campaignSends.sentAt, error: campaignSends.lastError, message: campaignSends.message })
    .from(campaignSends)
    .where(shop ? and(eq(campaignSends.shop, shop)) : undefined)
    .orderBy(desc(campaignSends.createdAt))
    .limit(Number.isFinite(limit) ? limit : 20);
  const subject = (m: unknown) => String((m as { subject?: unknown }).subject ?? "");
  out(rows, rows.map((r) => `${r.createdAt.toISOString()}\t${r.status}\t${r.shop}\t${r.to}\tstep ${r.step + 1}\t${subject(r.message)}${r.error ? `\t${r.error}` : ""}`).join("\n") || "(outbox empty)");
}

export async function sender(runtime: Runtime, args: Args, out: Out) {
  const [shop] = args.positional;
  if (!shop) throw new UsageError("usage: cartback sender <shop> [--from-name NAME] [--from-address ADDRESS] [--reply-to ADDRESS] (\"\" clears)");
  const patch: Record<string, string | null> = {};
  for (const [flag, key] of [["from-name", "fromName"], ["from-address", "fromAddress"], ["reply-to", "replyTo"]] as const) {
    const value = args.flags.get(flag);
    if (value !== undefined) patch[key] = value === "" ? null : value;
  }
  if (Object.keys(patch).length === 0) {
    const context = await loadShopContext(db(runtime), shop);
    out(context.sender, JSON.stringify(context.sender));
    return;
  }
  const result = await updateSender(db(runtime), shop, patch);
  if (result.type === "unknown_shop") throw new UsageError(`no shop ${shop}`);
  if (result.type === "invalid") throw new UsageError(`${result.field}: ${result.message}`);
  out(result.sender, JSON.stringify(result.sender));
}
