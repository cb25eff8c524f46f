import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { installShop } from "./testing.ts";

/** What only the real HTTP stack shows: CORS preflight, streamed body limits, raw pixel posts. */
/**
 * One request per connection (`Connection: close`): a kept-alive socket would hold the
 * server's close() open until its keep-alive timeout.
 */
function fetch(url: string, init: { method: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }>((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: { ...init.headers, Connection: "close" }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null }, json: async () => JSON.parse(text) });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

describe("event endpoints over HTTP", () => {
  let server: TestServer;
  let pixelKey: string;
  let apiKey: string;
  const shop = "http-ingest.myshopify.com";
  beforeAll(async () => {
    server = await startTestServer();
    ({ pixelKey, apiKey } = await installShop(server.runtime.database, shop));
  });
  afterAll(async () => {
    await server?.close();
  });

  it("answers the CORS preflight of /collect", async () => {
    const response = await fetch(`${server.url}/collect`, { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST" } });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("takes a text/plain pixel post and refuses a body over 1 MB with 413", async () => {
    const event = { id: "sh-http-1", name: "product_added_to_cart", clientId: "c", timestamp: new Date().toISOString(), data: { cartLine: { quantity: 1, merchandise: { id: "1" } } } };
    const ok = await fetch(`${server.url}/collect`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ shop, pixelKey, events: [event] }) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { accepted: number }).accepted).toBe(1);
    const big = await fetch(`${server.url}/collect`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ shop, pixelKey, events: [{ pad: "x".repeat(1_100_000) }] }) });
    expect(big.status).toBe(413);
    expect(big.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("serves the public API with its auth, batch limit and per-event results, and leaves other methods to the route", async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/v1/events?source=test`, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
    const event = (id: string) => ({ id, name: "Added to Cart", occurredAt: new Date().toISOString(), clientId: "http-b1", variantId: "7", quantity: 1 });

    const anonymous = await post(JSON.stringify({ events: [event("h-1")] }));
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toEqual({ error: { code: "unauthorized", field: "Authorization", message: "send the shop's API key as Authorization: Bearer cbk_…" } });

    const auth = { Authorization: `Bearer ${apiKey}` };
    const ok = await post(JSON.stringify({ events: [event("h-1"), { id: "h-2", name: "Added to Cart" }, event("h-1")] }), auth);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const summary = (await ok.json()) as { accepted: number; results: { status: string; field?: string }[] };
    expect(summary.results.map((r) => r.status)).toEqual(["accepted", "rejected", "duplicate"]);
    expect(summary.results[1]?.field).toMatch(/^events\[1\]/);

    const tooMany = await post(JSON.stringify({ events: Array.from({ length: 501 }, (_, i) => event(`m-${i}`)) }), auth);
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe("batch_too_large");
    expect((await post("{not json", auth)).status).toBe(400);

    const get = await fetch(`${server.url}/api/v1/events`, { method: "GET", headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
  });

  it("refuses a streamed body over 1 MB that declares no length", async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/collect`, { method: "POST", headers: { "Content-Type": "text/plain", "Transfer-Encoding": "chunked", Connection: "close" }, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      const chunk = "x".repeat(64 * 1024);
      for (let i = 0; i < 18; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
  });

  it("keeps the parse-only benchmark endpoint closed unless CARTBACK_BENCH=1", async () => {
    const response = await fetch(`${server.url}/api/v1/events/parse-only`, { method: "POST", body: '{"events":[1]}' });
    expect(response.status).toBe(404);
  });
});
