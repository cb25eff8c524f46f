import type { ActionFunctionArgs } from "@remix-run/node";
import { handleEventWebhook } from "../server/ingest/webhook.ts";
import { translateCart } from "../server/webhook-inbox/translate.ts";

// carts/create, carts/update → a Cart Snapshot of the token. Idempotent: the delivery is
// claimed in the applying transaction and the snapshot's id is token + updated_at.
// Under `npm start` a POST here is answered ahead of Remix by the same code (ingest/node-handler.ts).
export async function action({ request, context }: ActionFunctionArgs) {
  return handleEventWebhook(context.runtime, request, translateCart);
}
