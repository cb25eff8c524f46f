import { readFileSync } from "node:fs";
import path from "node:path";
import type { Database } from "@cartback/db";
import { shops } from "@cartback/db";
import { signWebhook } from "../shopify/webhooks.ts";
import { signProxyQuery } from "../shopify/proxy-signature.ts";
import { createTestRuntime } from "../testing.ts";
import { issueApiKey, ensurePixelKey } from "../shops/keys.ts";

/** Helpers for ingest tests: a partner-mode runtime, an installed shop, signed requests. */
export const SECRET = "test-shopify-secret";
export const FIXTURES = path.resolve(import.meta.dirname, "../../../fixtures/shopify");

export function fixture(relative: string): string {
  return readFileSync(path.join(FIXTURES, relative), "utf8");
}

/** The docs samples wrap the payload in `response`; the exemplars are the payload. */
export function webhookPayload(relative: string): string {
  const parsed = JSON.parse(fixture(relative)) as { response?: unknown };
  if (parsed.response === undefined) return fixture(relative);
  const raw = fixture(relative);
  const start = raw.indexOf("{", raw.indexOf('"response"'));
  let depth = 0;
  for (let i = start; i < raw.length; i++) {
    if (raw[i] === "{") depth++;
    else if (raw[i] === "}" && --depth === 0) return raw.slice(start, i + 1);
  }
  throw new Error(`unbalanced ${relative}`);
}

export function ingestRuntime(database: Database) {
  return createTestRuntime(database, {
    SHOPIFY_API_KEY: "test-key",
    SHOPIFY_API_SECRET: SECRET,
    SHOPIFY_APP_URL: "https://cartback.example.com",
  });
}

export async function installShop(database: Database, shop: string, values: Partial<typeof shops.$inferInsert> = {}) {
  await database.db.insert(shops).values({ shop, currency: "USD", ...values });
  return { apiKey: await issueApiKey(database.db, shop), pixelKey: await ensurePixelKey(database.db, shop) };
}

let deliveries = 0;

export function webhookRequest(route: string, topic: string, shop: string, raw: string, options: { webhookId?: string; secret?: string } = {}) {
  return new Request(`https://cartback.example.com/webhooks/${route}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": topic,
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-Webhook-Id": options.webhookId ?? `wh-${Date.now()}-${deliveries++}`,
      "X-Shopify-Hmac-Sha256": signWebhook(raw, options.secret ?? SECRET),
    },
    body: raw,
  });
}

export function proxyRequest(shop: string, body: unknown, customerId = "", secret = SECRET) {
  const query = signProxyQuery(
    { shop, logged_in_customer_id: customerId, path_prefix: "/apps/cartback", timestamp: String(Math.floor(Date.now() / 1000)) },
    secret,
  );
  return new Request(`https://cartback.example.com/proxy/events?${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

export function apiRequest(apiKey: string | null, body: unknown) {
  return new Request("https://cartback.example.com/api/v1/events", {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}) },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export function collectRequest(body: unknown) {
  return new Request("https://cartback.example.com/collect", {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}
