import { CART_TOPICS, fromCartWebhook } from "@cartback/core/events/shopify-webhooks";
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEventWebhook } from "../server/ingest/webhook.ts";

// carts/create, carts/update → a Cart Snapshot of the token. Idempotent: the delivery is
// claimed in the applying transaction and the snapshot's id is token + updated_at.
export async function action({ request, context }: ActionFunctionArgs) {
  return handleEventWebhook(
    context.runtime,
    request,
    (topic, payload, ctx) => ((CART_TOPICS as readonly string[]).includes(topic) ? fromCartWebhook(payload, ctx) : null),
  );
}
