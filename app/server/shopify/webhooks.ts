import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "@cartback/db";
import { webhookDeliveries } from "@cartback/db";

/** base64(HMAC-SHA256(secret, raw body)), compared in constant time. */
export function verifyWebhookHmac(rawBody: string | Buffer, header: string | null, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac("sha256", secret).update(rawBody).digest();
  let given: Buffer;
  try {
    given = Buffer.from(header, "base64");
  } catch {
    return false;
  }
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function signWebhook(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

export type WebhookRequest =
  | { type: "ok"; topic: string; shop: string; webhookId: string; apiVersion: string | null; triggeredAt: string | null; payload: unknown; raw: string }
  | { type: "unauthorized"; reason: string }
  | { type: "bad_request"; field: string; reason: string };

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** Reads and authenticates a webhook request; body is parsed only after the HMAC holds. */
export async function readWebhook(request: Request, secret: string | undefined): Promise<WebhookRequest> {
  if (!secret) return { type: "unauthorized", reason: "no Shopify API secret is configured" };
  const raw = await request.text();
  if (!verifyWebhookHmac(raw, request.headers.get("x-shopify-hmac-sha256"), secret)) {
    return { type: "unauthorized", reason: "X-Shopify-Hmac-Sha256 does not match the body" };
  }
  const topic = request.headers.get("x-shopify-topic");
  const shop = request.headers.get("x-shopify-shop-domain")?.toLowerCase();
  const webhookId = request.headers.get("x-shopify-webhook-id") ?? request.headers.get("x-shopify-event-id");
  if (!topic) return { type: "bad_request", field: "X-Shopify-Topic", reason: "missing" };
  if (!shop || !SHOP.test(shop)) return { type: "bad_request", field: "X-Shopify-Shop-Domain", reason: "missing or not a myshopify.com domain" };
  if (!webhookId) return { type: "bad_request", field: "X-Shopify-Webhook-Id", reason: "missing" };
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return { type: "bad_request", field: "body", reason: "not valid JSON" };
  }
  return {
    type: "ok",
    topic,
    shop,
    webhookId,
    apiVersion: request.headers.get("x-shopify-api-version"),
    triggeredAt: request.headers.get("x-shopify-triggered-at"),
    payload,
    raw,
  };
}

/**
 * Claims a delivery; false when it was already processed. Call it inside the transaction
 * that applies the webhook so that a failure releases the claim for Shopify's retry.
 */
export async function claimWebhookDelivery(
  tx: Pick<Db, "insert">,
  delivery: { shop: string; webhookId: string; topic: string },
): Promise<boolean> {
  const rows = await tx
    .insert(webhookDeliveries)
    .values(delivery)
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.webhookId });
  return rows.length > 0;
}
