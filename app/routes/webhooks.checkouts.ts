import { CHECKOUT_TOPICS, fromCheckoutWebhook } from "@cartback/core/events/shopify-webhooks";
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEventWebhook } from "../server/ingest/webhook.ts";

// checkouts/create, checkouts/update → Checkout Started (+ Identify): links the checkout
// token, cart token, email and customer. Idempotent by delivery claim and content ids.
export async function action({ request, context }: ActionFunctionArgs) {
  return handleEventWebhook(
    context.runtime,
    request,
    (topic, payload) => ((CHECKOUT_TOPICS as readonly string[]).includes(topic) ? fromCheckoutWebhook(payload) : null),
  );
}
