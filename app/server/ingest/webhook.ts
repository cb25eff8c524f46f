import type { CartEvent } from "@cartback/core/events/event";
import { parseEvent } from "@cartback/core/events/parse";
import type { WebhookContext, WebhookTranslation } from "@cartback/core/events/shopify-webhooks";
import { identityKeys } from "@cartback/core/identity/stitch";
import { parseJsonLossless } from "@cartback/core/ids/json";
import type { Db } from "@cartback/db";
import { json } from "@remix-run/node";
import { shopifySecret } from "../config.ts";
import { problem } from "../http.ts";
import type { Runtime } from "../runtime.ts";
import { claimWebhookDelivery, readWebhook } from "../shopify/webhooks.ts";
import { findShop } from "../shops/lookup.ts";
import { applyEvents, type OnActivity } from "./apply.ts";
import { type EventResult, summarize } from "./results.ts";

export type Translate = (topic: string, payload: unknown, context: WebhookContext) => WebhookTranslation | null;

/**
 * Shared by the carts, checkouts and orders webhook routes. Idempotent twice over: the
 * delivery is claimed inside the transaction that applies it (a failure releases the claim
 * for Shopify's retry), and the derived events carry content ids the store deduplicates.
 */
export async function handleEventWebhook(runtime: Runtime, request: Request, translate: Translate, onActivity?: OnActivity) {
  const hook = await readWebhook(request, shopifySecret(runtime.config));
  if (hook.type === "unauthorized") return problem(401, "unauthorized", hook.reason);
  if (hook.type === "bad_request") return problem(400, "bad_request", hook.reason, hook.field);
  const shop = await findShop(runtime.database.db, hook.shop);
  if (!shop) return problem(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");

  const translated = translate(hook.topic, parseJsonLossless(hook.raw), { shopCurrency: shop.currency });
  if (!translated) return problem(400, "unexpected_topic", `${hook.topic} is not handled here`, "X-Shopify-Topic");
  if (translated.type === "invalid") return problem(400, "invalid_payload", translated.reason, translated.field);

  const receivedAt = new Date();
  const results: EventResult[] = [];
  const events: CartEvent[] = [];
  translated.events.forEach((wire, index) => {
    const parsed = parseEvent(wire, { shop: hook.shop, receivedAt, source: "webhook" });
    if (parsed.type === "rejected") results.push({ index, id: parsed.id, status: "rejected", field: parsed.field, reason: parsed.reason });
    else if (identityKeys(parsed.event.identifiers).length === 0) {
      results.push({ index, id: parsed.event.id, status: "ignored", reason: "no shopper identifier (cart token, checkout token, customer or email)" });
    } else if (!shop.cartTrackingEnabled) results.push({ index, id: parsed.event.id, status: "ignored", reason: "cart tracking is off for this shop" });
    else {
      results.push({ index, id: parsed.event.id, status: "duplicate" });
      events.push(parsed.event);
    }
  });
  if (results.every((r) => r.status === "rejected")) {
    const first = results[0] as Extract<EventResult, { status: "rejected" }>;
    return problem(400, "invalid_payload", first.reason, first.field);
  }

  const claimed = await runtime.database.db.transaction(async (tx) => {
    if (!(await claimWebhookDelivery(tx, hook))) return false;
    const outcome = await applyEvents(tx as unknown as Db, hook.shop, events, { onActivity });
    for (const r of results) if (r.id && outcome.status.get(r.id) === "accepted") Object.assign(r, { status: "accepted" });
    return true;
  });
  if (!claimed) return json({ ok: true, alreadyProcessed: true });
  return json({ ok: true, ...summarize(results) });
}
