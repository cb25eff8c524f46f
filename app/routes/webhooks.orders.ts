import { ORDER_TOPICS, fromOrderWebhook } from "@cartback/core/events/shopify-webhooks";
import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEventWebhook } from "../server/ingest/webhook.ts";

// orders/create, orders/paid → Charged: empties the purchased cart and ends the episode.
// Both topics yield the event id `order:<id>`, so the second changes nothing.
export async function action({ request, context }: ActionFunctionArgs) {
  return handleEventWebhook(
    context.runtime,
    request,
    (topic, payload) => ((ORDER_TOPICS as readonly string[]).includes(topic) ? fromOrderWebhook(payload) : null),
  );
}
