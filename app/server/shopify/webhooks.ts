import { createHmac, timingSafeEqual } from "node:crypto";
import { scrubUnstorableText } from "@cartback/core/events/fields";
import { parseJsonLossless } from "@cartback/core/ids/json";
import type { Db } from "@cartback/db";
import { webhookDeliveries } from "@cartback/db";
import { readCappedBody } from "../http-body.ts";
import { problem } from "../http.ts";

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
  | WebhookRefusal;

export type WebhookRefusal =
  | { type: "unauthorized"; reason: string }
  | { type: "bad_request"; field: string; reason: string }
  | { type: "too_large"; limit: number };

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * Shopify's webhook bodies are a few KB; the largest, an order with hundreds of line items,
 * stays well under 1 MB. 5 MB leaves room for that and bounds what an unsigned sender can
 * make the process hold before the signature is known.
 */
export const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

/**
 * Shopify retries a failed delivery with its original X-Shopify-Triggered-At: 8 times over
 * 4 hours in today's docs, for up to 48 hours in older ones. Older deliveries are refused.
 * The header is not signed, so this bounds honest late deliveries and replays that keep it,
 * not a forger who rewrites it.
 */
export const WEBHOOK_MAX_AGE_MS = 48 * 60 * 60 * 1000;
/** Shopify's clock and ours may disagree a little. */
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * Reads and authenticates a webhook request with bounded memory: at most `limit` bytes are
 * read (413 past it, from Content-Length or while streaming), the HMAC is computed as the
 * bytes arrive, and the body is parsed only after it holds.
 */
export async function readWebhook(request: Request, secret: string | undefined, options: { limit?: number; now?: Date } = {}): Promise<WebhookRequest> {
  if (!secret) return { type: "unauthorized", reason: "no Shopify API secret is configured" };
  const limit = options.limit ?? WEBHOOK_BODY_LIMIT;
  const body = await readSignedBody(request, secret, limit);
  if (body.type === "too_large") return { type: "too_large", limit };
  return checkWebhook((name) => request.headers.get(name), body, options.now ?? new Date());
}

/**
 * Everything after the body is read (the Remix routes' Request or Node's IncomingMessage,
 * ingest/node-handler.ts): signature, headers, age, JSON, the shop the body names.
 */
export function checkWebhook(header: (name: string) => string | null, body: { raw: string; digest: Buffer }, now: Date): WebhookRequest {
  if (!digestMatches(body.digest, header("x-shopify-hmac-sha256"))) {
    return { type: "unauthorized", reason: "X-Shopify-Hmac-Sha256 does not match the body" };
  }
  const topic = header("x-shopify-topic");
  const shop = header("x-shopify-shop-domain")?.toLowerCase();
  const webhookId = header("x-shopify-webhook-id") ?? header("x-shopify-event-id");
  const triggeredAt = header("x-shopify-triggered-at");
  if (!topic) return { type: "bad_request", field: "X-Shopify-Topic", reason: "missing" };
  if (!shop || !SHOP.test(shop)) return { type: "bad_request", field: "X-Shopify-Shop-Domain", reason: "missing or not a myshopify.com domain" };
  if (!webhookId) return { type: "bad_request", field: "X-Shopify-Webhook-Id", reason: "missing" };
  const stale = staleness(triggeredAt, now);
  if (stale) return { type: "bad_request", field: "X-Shopify-Triggered-At", reason: stale };
  const raw = storableJson(body.raw);
  let payload: unknown;
  try {
    payload = JSON.parse(raw);
  } catch {
    return { type: "bad_request", field: "body", reason: "not valid JSON" };
  }
  const bodyShop = shopNamedIn(payload);
  if (bodyShop && bodyShop !== shop) {
    return { type: "bad_request", field: "X-Shopify-Shop-Domain", reason: `does not match the shop the body names (${bodyShop})` };
  }
  return { type: "ok", topic, shop, webhookId, apiVersion: header("x-shopify-api-version"), triggeredAt, payload, raw };
}

/** The answer for a webhook that was not accepted (401, 400 naming the header or field, 413). */
export function webhookRefusal(hook: WebhookRefusal): Response {
  const { status, code, message, field } = refusalParts(hook);
  return problem(status, code, message, field);
}

export function refusalParts(hook: WebhookRefusal): { status: 400 | 401 | 413; code: string; message: string; field?: string } {
  switch (hook.type) {
    case "unauthorized":
      return { status: 401, code: "unauthorized", message: hook.reason };
    case "bad_request":
      return { status: 400, code: "bad_request", message: hook.reason, field: hook.field };
    case "too_large":
      return { status: 413, code: "body_too_large", message: `webhook bodies are limited to ${hook.limit} bytes`, field: "body" };
    default: {
      const unreachable: never = hook;
      throw new Error(`unhandled refusal ${JSON.stringify(unreachable)}`);
    }
  }
}

type SignedBody = { type: "ok"; raw: string; digest: Buffer } | { type: "too_large" };

async function readSignedBody(request: Request, secret: string, limit: number): Promise<SignedBody> {
  const hmac = createHmac("sha256", secret);
  const body = await readCappedBody(request, limit, (chunk) => hmac.update(chunk));
  return body.type === "ok" ? { type: "ok", raw: Buffer.from(body.bytes.buffer, 0, body.bytes.byteLength).toString("utf8"), digest: hmac.digest() } : body;
}

function digestMatches(expected: Buffer, header: string | null): boolean {
  if (!header) return false;
  const given = Buffer.from(header, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function staleness(triggeredAt: string | null, now: Date): string | null {
  // Absent on some older deliveries and on hand-made test requests: nothing to check.
  if (triggeredAt === null) return null;
  const at = Date.parse(triggeredAt);
  if (Number.isNaN(at)) return "not a timestamp";
  if (at < now.getTime() - WEBHOOK_MAX_AGE_MS) return "older than 48 hours: Shopify no longer retries deliveries this old";
  if (at > now.getTime() + MAX_CLOCK_SKEW_MS) return "in the future";
  return null;
}

/**
 * Compliance payloads name their shop (`shop_domain`), the shop object of shop/update and
 * app/uninstalled its `myshopify_domain`; carts, checkouts, orders and products name none.
 */
function shopNamedIn(payload: unknown): string | null {
  if (typeof payload !== "object" || payload === null) return null;
  const { shop_domain, myshopify_domain } = payload as { shop_domain?: unknown; myshopify_domain?: unknown };
  const named = typeof shop_domain === "string" ? shop_domain : typeof myshopify_domain === "string" ? myshopify_domain : null;
  return named ? named.toLowerCase() : null;
}

/**
 * PostgreSQL cannot store `\u0000` or an unpaired surrogate. A Shopify-signed body that holds
 * one is cleaned rather than refused (a refusal is retried for hours, then the subscription
 * is dropped): NUL removed, unpaired surrogates replaced by U+FFFD. Big ids stay exact.
 */
function storableJson(raw: string): string {
  if (!/\\u0000|\\ud[89a-f]/i.test(raw)) return raw;
  let parsed: unknown;
  try {
    parsed = parseJsonLossless(raw);
  } catch {
    return raw;
  }
  return JSON.stringify(scrubUnstorableText(parsed));
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

/**
 * Claims several deliveries of one shop in one statement (the ingest queue's group commit: one
 * round trip per group, not per webhook). Returns the ids claimed now; an id already processed,
 * or named twice here, is claimed at most once.
 */
export async function claimWebhookDeliveries(
  tx: Pick<Db, "insert">,
  shop: string,
  deliveries: readonly { webhookId: string; topic: string }[],
): Promise<Set<string>> {
  if (deliveries.length === 0) return new Set();
  const rows = await tx
    .insert(webhookDeliveries)
    .values(deliveries.map((d) => ({ shop, webhookId: d.webhookId, topic: d.topic })))
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.webhookId });
  return new Set(rows.map((r) => r.id));
}
