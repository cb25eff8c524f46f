import { type ActionFunctionArgs, json } from "@remix-run/node";
import { orUnavailable } from "../server/ingest/unavailable.ts";
import { applyProductWebhook } from "../server/catalog/product-webhooks.ts";
import { shopifySecret } from "../server/config.ts";
import { problem } from "../server/http.ts";
import { readWebhook, webhookRefusal } from "../server/shopify/webhooks.ts";

// products/create, products/update, products/delete. Idempotent: the delivery is claimed in
// the transaction that applies it, and an update rewrites the product's rows as a whole.
export async function action({ request, context }: ActionFunctionArgs) {
  // A database outage: 503 with Retry-After (Shopify retries), not a plain-text 500.
  return orUnavailable(async () => {
    const { runtime } = context;
    const hook = await readWebhook(request, shopifySecret(runtime.config));
    if (hook.type !== "ok") return webhookRefusal(hook);
    const result = await applyProductWebhook(runtime.database, hook, new Date());
    switch (result.type) {
      case "applied":
      case "duplicate":
      case "sync_off":
      case "no_catalog":
        return json({ ok: true, result: result.type });
      case "bad_payload":
        return problem(400, "bad_payload", result.message, result.field);
      case "unknown_topic":
        return problem(400, "unknown_topic", `this endpoint handles products/* topics, not ${result.topic}`, "X-Shopify-Topic");
      default: {
        const unreachable: never = result;
        throw new Error(`unhandled result ${JSON.stringify(unreachable)}`);
      }
    }
  });
}
