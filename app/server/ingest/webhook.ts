import { parseJsonLossless } from "@cartback/core/ids/json";
import { json } from "@remix-run/node";
import { shopifySecret } from "../config.ts";
import { problem } from "../http.ts";
import type { Runtime } from "../runtime.ts";
import { readWebhook, webhookRefusal } from "../shopify/webhooks.ts";
import { findShop } from "../shops/lookup.ts";
import { receiveDelivery } from "../webhook-inbox/receive.ts";
import type { Translate } from "../webhook-inbox/translate.ts";
import { summaryReply, toResponse } from "./http.ts";
import { orUnavailable } from "./unavailable.ts";

export type { Translate } from "../webhook-inbox/translate.ts";

/**
 * Shared by the carts, checkouts and orders webhook routes: verify, translate (to refuse bad
 * payloads with a 4xx now), store the delivery in the inbox, then apply it through the same
 * ingest service as every other source. A delivery is acknowledged once stored: a lone one is
 * answered after it is applied, with what it did; in a burst the answer does not wait for
 * ingest (issue 18) and the inbox's drain applies the rest. Idempotent twice over: the
 * delivery is claimed inside the transaction that applies it, and the derived events carry
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

  const received = await receiveDelivery(runtime, { shop: hook.shop, webhookId: hook.webhookId, topic: hook.topic, raw: hook.raw });
  switch (received.type) {
    case "duplicate":
      return json({ ok: true, alreadyProcessed: true });
    case "queued":
      return json({ ok: true, queued: true });
    case "nothing":
      return problem(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");
    case "applied":
      break;
    default: {
      const unreachable: never = received;
      throw new Error(`unhandled ${JSON.stringify(unreachable)}`);
    }
  }
  const { outcome } = received;
  if (outcome.type === "unknown_shop") return problem(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");
  if (outcome.alreadyProcessed) return json({ ok: true, alreadyProcessed: true });
  const reply = summaryReply(outcome.summary);
  return toResponse(reply.status === 200 ? { ...reply, body: { ok: true, ...outcome.summary } } : reply);
}
