import { randomUUID } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signWebhook } from "../shopify/webhooks.ts";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { fixture, installShop, SECRET } from "./testing.ts";

/**
 * Hostile and broken input over the real HTTP stack (issue 13: findings 3, 4, 5, 9): bounded
 * webhook bodies, one bad character rejecting only its event, kept-alive connections that
 * survive a body nobody read, and webhook headers checked against the body and the clock.
 */
interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  reusedSocket: boolean;
}

function send(url: string, init: { method: string; headers?: Record<string, string>; body?: string | Buffer; chunks?: number; agent?: Agent }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: init.headers, agent: init.agent ?? false }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString("utf8"), reusedSocket: req.reusedSocket }));
    });
    // The server may answer and close before a refused body is fully sent.
    req.on("error", (error) => (req.writableEnded ? undefined : reject(error)));
    if (init.chunks !== undefined) {
      const chunk = Buffer.alloc(64 * 1024, "x");
      for (let i = 0; i < init.chunks; i++) req.write(chunk);
    }
    req.end(init.body);
  });
}

/** Shopify's bodies are KBs; the app reads at most 5 MB of one (shopify/webhooks.ts). */
const WEBHOOK_BODY_LIMIT = 5 * 1024 * 1024;

const within = <T>(ms: number, promise: Promise<T>, what: string) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms))]);

describeEachDatabase("hostile input over HTTP", (database) => {
  let server: TestServer;
  let shop: string;
  let apiKey: string;
  beforeAll(async () => {
    server = await startTestServer({
      database: database(),
      env: { SHOPIFY_API_KEY: "test-key", SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: "http://localhost" },
    });
    shop = randomShop("hardening");
    ({ apiKey } = await installShop(database(), shop));
  });
  afterAll(async () => {
    await server?.close();
  });

  const webhookHeaders = (topic: string, raw: string, extra: Record<string, string> = {}) => ({
    "Content-Type": "application/json",
    "X-Shopify-Topic": topic,
    "X-Shopify-Shop-Domain": shop,
    "X-Shopify-Webhook-Id": randomUUID(),
    "X-Shopify-Hmac-Sha256": signWebhook(raw, SECRET),
    Connection: "close",
    ...extra,
  });

  it("rejects only the event holding a NUL, a lone surrogate or year 0, naming its field; the others apply", async () => {
    const at = new Date().toISOString();
    const event = (id: string, extra = "") => `{"id":"${id}","name":"Added to Cart","occurredAt":"${at}","clientId":"nul-client","variantId":"7"${extra}}`;
    // Written as JSON text: `\u0000` and `\ud800` are valid JSON that PostgreSQL cannot store.
    const raw = `{"events":[${[
      event("ok-1"),
      event("nul-escape", ',"title":"a\\u0000b"'),
      event("surrogate", ',"sku":"x\\ud800y"'),
      event("deep-nul", ',"extra":{"note":["fine","\\u0000"]}'),
      `{"id":"year-0","name":"Added to Cart","occurredAt":"0000-01-01T00:00:00Z","clientId":"nul-client","variantId":"7"}`,
      event("ok-2"),
    ].join(",")}]}`;
    const answer = await send(`${server.url}/api/v1/events`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey}`, Connection: "close" },
      body: raw,
    });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as { accepted: number; results: { id: string; status: string; field?: string }[] };
    expect(body.results.map((r) => [r.id, r.status, r.field])).toEqual([
      ["ok-1", "accepted", undefined],
      ["nul-escape", "rejected", "events[1].title"],
      ["surrogate", "rejected", "events[2].sku"],
      ["deep-nul", "rejected", "events[3].extra.note[1]"],
      ["year-0", "rejected", "events[4].occurredAt"],
      ["ok-2", "accepted", undefined],
    ]);
  });

  it("answers GET /api/v1/catalogs/%00 with 400 naming the name", async () => {
    const answer = await send(`${server.url}/api/v1/catalogs/%00`, { method: "GET", headers: { Authorization: `Bearer ${apiKey}`, Connection: "close" } });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toMatchObject({ error: { field: "name" } });
  });

  it("refuses a webhook body over the limit with 413 before its signature, declared or streamed", async () => {
    const declared = await send(`${server.url}/webhooks/carts`, {
      method: "POST",
      headers: { ...webhookHeaders("carts/update", "{}"), "Content-Length": String(WEBHOOK_BODY_LIMIT + 1) },
      body: Buffer.alloc(WEBHOOK_BODY_LIMIT + 1, " "),
    });
    expect(declared.status).toBe(413);
    for (const path of ["/webhooks/carts", "/webhooks/products", "/webhooks/compliance", "/webhooks/app/uninstalled", "/webhooks/shop/update"]) {
      const streamed = await send(`${server.url}${path}`, {
        method: "POST",
        headers: { ...webhookHeaders("carts/update", "{}"), "Transfer-Encoding": "chunked" },
        chunks: WEBHOOK_BODY_LIMIT / (64 * 1024) + 4,
      });
      expect([path, streamed.status]).toEqual([path, 413]);
      expect(JSON.parse(streamed.text)).toMatchObject({ error: { code: "body_too_large", field: "body" } });
    }
  });

  it("stores a signed webhook whose text holds \\u0000 or a lone surrogate, cleaned", async () => {
    const raw = fixture("generated/webhooks/carts_update.json").replace(/"title": "([^"]*)"/, '"title": "$1\\u0000 \\udc00"');
    expect(raw).toContain("\\u0000");
    const answer = await send(`${server.url}/webhooks/carts`, { method: "POST", headers: webhookHeaders("carts/update", raw), body: raw });
    expect([answer.status, answer.text]).toEqual([200, expect.stringContaining('"accepted":1')]);
  });

  it("refuses a webhook whose shop header disagrees with the body's shop_domain", async () => {
    const redact = JSON.stringify({ shop_id: 1, shop_domain: "someone-else.myshopify.com", customer: { id: 1, email: "a@example.com" }, orders_to_redact: [] });
    const mismatched = await send(`${server.url}/webhooks/compliance`, { method: "POST", headers: webhookHeaders("customers/redact", redact), body: redact });
    expect(mismatched.status).toBe(400);
    expect(JSON.parse(mismatched.text)).toMatchObject({ error: { field: "X-Shopify-Shop-Domain" } });
  });

  it("refuses a webhook triggered over 48 h ago and takes a retry from 47 h ago", async () => {
    const raw = fixture("generated/webhooks/carts_create.json");
    const old = new Date(Date.now() - 49 * 60 * 60 * 1000).toISOString();
    const stale = await send(`${server.url}/webhooks/carts`, { method: "POST", headers: webhookHeaders("carts/create", raw, { "X-Shopify-Triggered-At": old }), body: raw });
    expect(stale.status).toBe(400);
    expect(JSON.parse(stale.text)).toMatchObject({ error: { field: "X-Shopify-Triggered-At" } });
    const recent = new Date(Date.now() - 47 * 60 * 60 * 1000).toISOString();
    const retried = await send(`${server.url}/webhooks/carts`, { method: "POST", headers: webhookHeaders("carts/create", raw, { "X-Shopify-Triggered-At": recent }), body: raw });
    expect(retried.status).toBe(200);
  });

  it("answers the next request on a kept-alive connection after a 401, 404 or 405 that left a 1 MB body unread", { timeout: 60_000 }, async () => {
    const body = Buffer.alloc(1024 * 1024, "x");
    const firsts: { method: string; path: string; status: number }[] = [
      { method: "PUT", path: "/collect", status: 405 },
      { method: "POST", path: "/no-such-page", status: 404 },
      { method: "PUT", path: "/api/v1/catalogs/some-list", status: 401 },
      { method: "POST", path: "/api/v1/events", status: 401 },
    ];
    for (const first of firsts) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const answer = await within(10_000, send(`${server.url}${first.path}`, { method: first.method, headers: { "Content-Type": "text/plain" }, body, agent }), `${first.method} ${first.path}`);
        expect([first.path, answer.status]).toEqual([first.path, first.status]);
        const next = await within(10_000, send(`${server.url}/healthz`, { method: "GET", agent }), `GET /healthz after ${first.method} ${first.path}`);
        expect([first.path, next.status, next.reusedSocket]).toEqual([first.path, 200, true]);
      } finally {
        agent.destroy();
      }
    }
  });
});
