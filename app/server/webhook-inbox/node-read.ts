import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { reader } from "../ingest/node-handler.ts";
import { checkWebhook, WEBHOOK_BODY_LIMIT, type WebhookRequest } from "../shopify/webhooks.ts";

/**
 * readWebhook (shopify/webhooks.ts) for Node's request, so the cart, checkout and order
 * webhooks are served ahead of Express and Remix (ingest/node-handler.ts): at a sale's
 * hundreds of webhooks a second their routing, middleware and Request objects cost more CPU
 * than verifying and storing a delivery. Same bounds: a Content-Length over the limit is
 * refused unread, a stream past it is abandoned (the server drains the rest after the
 * answer, ingest/unread-body.ts), and the HMAC is computed on the bytes as they arrive.
 */
export async function readWebhookFromNode(req: IncomingMessage, secret: string | undefined, limit = WEBHOOK_BODY_LIMIT): Promise<WebhookRequest> {
  if (!secret) return { type: "unauthorized", reason: "no Shopify API secret is configured" };
  const hmac = createHmac("sha256", secret);
  const body = await reader(req, limit, (chunk) => hmac.update(chunk))();
  if (body.type === "too_large") return { type: "too_large", limit };
  const header = (name: string) => {
    const value = req.headers[name];
    return typeof value === "string" ? value : null;
  };
  return checkWebhook(header, { raw: body.raw, digest: hmac.digest() }, new Date());
}
