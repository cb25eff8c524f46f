import { parseJsonLossless } from "@cartback/core/ids/json";
import { shopifySecret } from "../config.ts";
import type { Runtime } from "../runtime.ts";
import { readWebhook, refusalParts, type WebhookRequest } from "../shopify/webhooks.ts";
import { findShop } from "../shops/lookup.ts";
import { receiveDelivery } from "../webhook-inbox/receive.ts";
import type { Translate } from "../webhook-inbox/translate.ts";
import { problemReply, type Reply, summaryReply, toResponse } from "./http.ts";
import { orUnavailable } from "./unavailable.ts";

export type { Translate } from "../webhook-inbox/translate.ts";

/**
 * The carts, checkouts and orders webhook routes (Remix's, kept for tests and any path the
 * Node handler does not take; ingest/node-handler.ts serves them ahead of Express).
 */
export function handleEventWebhook(runtime: Runtime, request: Request, translate: Translate): Promise<Response> {
  return orUnavailable(async () => toResponse(await eventWebhookReply(runtime, await readWebhook(request, shopifySecret(runtime.config)), translate)));
}

/**
 * Verified, then translated (to refuse bad payloads with a 4xx now), stored in the inbox,
 * then applied through the same ingest service as every other source. A delivery is
 * acknowledged once stored: a lone one is answered after it is applied, with what it did; in
 * a burst the answer does not wait for ingest (issue 18) and the inbox's drain applies the
 * rest. Idempotent twice over: the delivery is claimed inside the transaction that applies
 * it, and the derived events carry content ids the store deduplicates.
 */
export async function eventWebhookReply(runtime: Runtime, hook: WebhookRequest, translate: Translate): Promise<Reply> {
  if (hook.type !== "ok") {
    const { status, code, message, field } = refusalParts(hook);
    return problemReply(status, code, message, field);
  }
  const unknownShop = problemReply(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");
  const shop = await findShop(runtime.database.db, hook.shop);
  if (!shop) return unknownShop;

  const translated = translate(hook.topic, parseJsonLossless(hook.raw), { shopCurrency: shop.currency });
  if (!translated) return problemReply(400, "unexpected_topic", `${hook.topic} is not handled here`, "X-Shopify-Topic");
  if (translated.type === "invalid") return problemReply(400, "invalid_payload", translated.reason, translated.field);
  // Valid, with nothing to apply (an order no cart or shopper can be linked to): nothing stored, and no retry asked for.
  if (translated.events.length === 0) return { status: 200, body: { ok: true, ignored: translated.ignored ?? "nothing to apply" } };

  const delivery = { shop: hook.shop, webhookId: hook.webhookId, topic: hook.topic, raw: hook.raw, events: translated.events };
  const received = await receiveDelivery(runtime, delivery);
  switch (received.type) {
    case "duplicate":
      return { status: 200, body: { ok: true, alreadyProcessed: true } };
    case "queued":
      return { status: 200, body: { ok: true, queued: true } };
    case "nothing":
      return unknownShop;
    case "applied":
      break;
    default: {
      const unreachable: never = received;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
  const { outcome } = received;
  if (outcome.type === "unknown_shop") return unknownShop;
  if (outcome.alreadyProcessed) return { status: 200, body: { ok: true, alreadyProcessed: true } };
  const reply = summaryReply(outcome.summary);
  return reply.status === 200 ? { ...reply, body: { ok: true, ...outcome.summary } } : reply;
}
