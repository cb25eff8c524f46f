import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEventWebhook } from "../server/ingest/webhook.ts";
import { translateCheckout } from "../server/webhook-inbox/translate.ts";

// checkouts/create, checkouts/update → Checkout Started (+ Identify): links the checkout
// token, cart token, email and customer. Idempotent by delivery claim and content ids.
// Under `npm start` a POST here is answered ahead of Remix by the same code (ingest/node-handler.ts).
export async function action({ request, context }: ActionFunctionArgs) {
  return handleEventWebhook(context.runtime, request, translateCheckout);
}
