import { type ActionFunctionArgs, json } from "@remix-run/node";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { shopifySecret } from "../server/config.ts";
import { problem } from "../server/http.ts";
import { applyShopFacts, shopFactsFromWebhook } from "../server/shops/shop-facts.ts";
import { readWebhook, webhookRefusal } from "../server/shopify/webhooks.ts";

// shop/update: the store's name, currency, money format, time zone or contact email changed.
// Idempotent without a delivery claim: it writes the same values again, and a delivery older
// than what is stored (Shopify does not keep order) is ignored by its updated_at.
export async function action({ request, context }: ActionFunctionArgs) {
  // A database outage: 503 with Retry-After (Shopify retries), not a plain-text 500.
  return orUnavailable(async () => {
    const { runtime } = context;
    const hook = await readWebhook(request, shopifySecret(runtime.config));
    if (hook.type !== "ok") return webhookRefusal(hook);
    if (hook.topic !== "shop/update") return problem(400, "unknown_topic", `this endpoint handles shop/update, not ${hook.topic}`, "X-Shopify-Topic");
    const facts = shopFactsFromWebhook(hook.payload, new Date());
    if (facts.type === "invalid") return problem(400, "bad_payload", `${facts.field}: ${facts.message}`, facts.field);
    const result = await applyShopFacts(runtime.database.db, hook.shop, facts.facts);
    runtime.logger.info({ shop: hook.shop, result: result.type }, "shop/update applied");
    return json({ ok: true, result: result.type });
  });
}
