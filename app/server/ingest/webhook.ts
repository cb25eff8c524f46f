import type { WebhookContext, WebhookTranslation } from "@cartback/core/events/shopify-webhooks";
import { parseJsonLossless } from "@cartback/core/ids/json";
import { json } from "@remix-run/node";
import { shopifySecret } from "../config.ts";
import { problem } from "../http.ts";
import type { Runtime } from "../runtime.ts";
import { readWebhook, webhookRefusal } from "../shopify/webhooks.ts";
import { findShop } from "../shops/lookup.ts";
import { summaryReply, toResponse } from "./http.ts";
import { orUnavailable } from "./unavailable.ts";

export type Translate = (topic: string, payload: unknown, context: WebhookContext) => WebhookTranslation | null;

/**
 * Shared by the carts, checkouts and orders webhook routes: verify, translate, then submit
 * to the same ingest service (validation, per-shop queue, campaign hook) as every other
 * source. Idempotent twice over: the delivery is claimed inside the transaction that applies
 * it (a failure releases the claim for Shopify's retry), and the derived events carry
 * content ids the store deduplicates.
 */
export function handleEventWebhook(runtime: Runtime, request: Request, translate: Translate): Promise<Response> {
  return orUnavailable(() => applyEventWebhook(runtime, request, translate));
}

async function applyEventWebhook(runtime: Runtime, request: Request, translate: Translate): Promise<Response> {
  const hook = await readWebhook(request, shopifySecret(runtime.config));
  if (hook.type !== "ok") return webhookRefusal(hook);
  const shop = await findShop(runtime.database.db, hook.shop);
  if (!shop) return problem(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");

  const translated = translate(hook.topic, parseJsonLossless(hook.raw), { shopCurrency: shop.currency });
  if (!translated) return problem(400, "unexpected_topic", `${hook.topic} is not handled here`, "X-Shopify-Topic");
  if (translated.type === "invalid") return problem(400, "invalid_payload", translated.reason, translated.field);

  const outcome = await runtime.ingest.submit({
    shop: hook.shop,
    source: "webhook",
    items: translated.events,
    receivedAt: new Date(),
    fieldPrefix: "body",
    delivery: { webhookId: hook.webhookId, topic: hook.topic },
  });
  if (outcome.type === "unknown_shop") return problem(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");
  if (outcome.alreadyProcessed) return json({ ok: true, alreadyProcessed: true });
  const reply = summaryReply(outcome.summary);
  return toResponse(reply.status === 200 ? { ...reply, body: { ok: true, ...outcome.summary } } : reply);
}
