import { parseJsonLossless } from "@cartback/core/ids/json";
import type { ActionFunctionArgs } from "@remix-run/node";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { json } from "@remix-run/node";
import { shopifySecret } from "../server/config.ts";
import { problem } from "../server/http.ts";
import { parseRefunds, recordRefunds } from "../server/revenue/refunds.ts";
import { readWebhook, webhookRefusal } from "../server/shopify/webhooks.ts";
import { findShop } from "../server/shops/lookup.ts";

// refunds/create, orders/updated → refunds netted from recovered revenue. Idempotent by
// Shopify's refund id: the same refund in a retry or in every later orders/updated counts once.
const TOPICS = ["refunds/create", "orders/updated"];

export async function action({ request, context }: ActionFunctionArgs) {
  // A database outage: 503 with Retry-After (Shopify retries), not a plain-text 500.
  return orUnavailable(async () => {
    const { runtime } = context;
    const hook = await readWebhook(request, shopifySecret(runtime.config));
    if (hook.type !== "ok") return webhookRefusal(hook);
    if (!TOPICS.includes(hook.topic)) return problem(400, "unexpected_topic", `${hook.topic} is not handled here`, "X-Shopify-Topic");
    const shop = await findShop(runtime.database.db, hook.shop);
    if (!shop) return problem(404, "unknown_shop", `${hook.shop} has not installed Cartback`, "X-Shopify-Shop-Domain");
    const parsed = parseRefunds(hook.topic, parseJsonLossless(hook.raw));
    if (parsed.type === "invalid") return problem(400, "invalid_payload", parsed.reason, `body.${parsed.field}`);
    const recorded = await recordRefunds(runtime.database.db, hook.shop, parsed.refunds);
    return json({ ok: true, refunds: parsed.refunds.length, recorded });
  });
}
