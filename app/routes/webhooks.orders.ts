import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEventWebhook } from "../server/ingest/webhook.ts";
import { translateOrder } from "../server/webhook-inbox/translate.ts";

// orders/create, orders/paid → Charged: empties the purchased cart and ends the episode.
// Both topics yield the event id `order:<id>`, so the second changes nothing.
// Under `npm start` a POST here is answered ahead of Remix by the same code (ingest/node-handler.ts).
export async function action({ request, context }: ActionFunctionArgs) {
  return handleEventWebhook(context.runtime, request, translateOrder);
}
