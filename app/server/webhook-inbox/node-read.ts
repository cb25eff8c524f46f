import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { checkWebhook, WEBHOOK_BODY_LIMIT, type WebhookRequest } from "../shopify/webhooks.ts";

/**
 * readWebhook (shopify/webhooks.ts) for Node's request, so the cart, checkout and order
 * webhooks are served ahead of Express and Remix (ingest/node-handler.ts): at a sale's
 * hundreds of webhooks a second their routing, middleware and Request objects cost more CPU
 * than verifying and storing a delivery. Same bounds: a Content-Length over the limit is
 * refused unread, a stream past it is abandoned (the server drains the rest after the
 * answer, ingest/unread-body.ts), and the HMAC is computed as the bytes arrive.
 */
export function readWebhookFromNode(req: IncomingMessage, secret: string | undefined, limit = WEBHOOK_BODY_LIMIT): Promise<WebhookRequest> {
  if (!secret) return Promise.resolve({ type: "unauthorized", reason: "no Shopify API secret is configured" });
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ type: "too_large", limit });
  return new Promise((resolve, reject) => {
    const hmac = createHmac("sha256", secret);
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (result: WebhookRequest | Error) => {
      if (settled) return;
      settled = true;
      req.off("data", onData);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > limit) return settle({ type: "too_large", limit });
      hmac.update(chunk);
      chunks.push(chunk);
    };
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    req.on("data", onData);
    req.once("end", () => settle(checkWebhook(header, { raw: Buffer.concat(chunks).toString("utf8"), digest: hmac.digest() }, new Date())));
    req.once("error", (error) => settle(error));
    req.once("close", () => settle(new Error("the client closed the request before its body ended")));
  });
}
