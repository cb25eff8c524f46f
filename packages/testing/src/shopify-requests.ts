import { createHmac, randomUUID } from "node:crypto";
import { proxySignature } from "@cartback/storefront-sim/proxy";

/** Where Shopify delivers each topic (shopify.app.toml). */
const WEBHOOK_PATHS: Record<string, string> = {
  "carts/create": "/webhooks/carts",
  "carts/update": "/webhooks/carts",
  "checkouts/create": "/webhooks/checkouts",
  "checkouts/update": "/webhooks/checkouts",
  "orders/create": "/webhooks/orders",
  "orders/paid": "/webhooks/orders",
  "orders/updated": "/webhooks/refunds",
  "refunds/create": "/webhooks/refunds",
  "products/create": "/webhooks/products",
  "products/update": "/webhooks/products",
  "products/delete": "/webhooks/products",
  "bulk_operations/finish": "/webhooks/bulk_operations/finish",
  "app/uninstalled": "/webhooks/app/uninstalled",
};

export interface WebhookDelivery {
  topic: string;
  /** The raw JSON body exactly as sent (the HMAC covers these bytes). */
  raw: string;
  /** Shopify keeps the id across retries of one delivery; a new id is a new delivery. */
  webhookId?: string;
  /** When Shopify says it fired (X-Shopify-Triggered-At); defaults to now. */
  triggeredAt?: string;
  apiVersion?: string;
}

export interface WebhookTarget {
  appUrl: string;
  shop: string;
  secret: string;
}

/** The headers Shopify sends with a webhook, signed with base64 HMAC-SHA256 of the raw body. */
export function webhookHeaders(target: WebhookTarget, delivery: WebhookDelivery): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": delivery.topic,
    "x-shopify-shop-domain": target.shop,
    "x-shopify-webhook-id": delivery.webhookId ?? randomUUID(),
    "x-shopify-hmac-sha256": createHmac("sha256", target.secret).update(delivery.raw).digest("base64"),
    "x-shopify-triggered-at": delivery.triggeredAt ?? new Date().toISOString(),
    "x-shopify-api-version": delivery.apiVersion ?? "2025-10",
  };
}

/** POSTs one signed webhook delivery and returns the app's answer (Shopify retries on non-2xx). */
export async function deliverWebhook(target: WebhookTarget, delivery: WebhookDelivery): Promise<Response> {
  const path = WEBHOOK_PATHS[delivery.topic];
  if (!path) throw new Error(`no webhook route for ${delivery.topic}`);
  return fetch(`${target.appUrl}${path}`, { method: "POST", headers: webhookHeaders(target, delivery), body: delivery.raw });
}

/**
 * What Shopify's app proxy sends for `https://{shop}/apps/cartback/<rest>`: the query plus
 * shop, logged_in_customer_id, path_prefix, timestamp and the hex signature.
 */
export function signedProxyUrl(target: WebhookTarget, rest: string, customerId: string | null = null, now = new Date()): string {
  const params = new URLSearchParams();
  params.set("shop", target.shop);
  params.set("logged_in_customer_id", customerId ?? "");
  params.set("path_prefix", "/apps/cartback");
  params.set("timestamp", String(Math.floor(now.getTime() / 1000)));
  params.set("signature", proxySignature(params, target.secret));
  return `${target.appUrl}/proxy/${rest}?${params}`;
}
