import { randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "./admin-auth/testing.ts";
import { LIMITS, peerAddress, RateLimiter } from "./rate-limit.ts";
import { ensurePixelKey } from "./shops/keys.ts";
import { type TestServer, startTestServer } from "./testing-server.ts";

describe("token buckets", () => {
  it("allows the burst, then refuses with the seconds to wait until a token is back", () => {
    let now = 0;
    const limiter = new RateLimiter({ rate: 2, burst: 3 }, () => now);
    expect([1, 2, 3].map(() => limiter.take("a"))).toEqual([0, 0, 0]);
    expect(limiter.take("a")).toBe(1);
    expect(limiter.take("b")).toBe(0);
    now += 500;
    expect(limiter.take("a")).toBe(0);
    expect(limiter.take("a")).toBe(1);
  });

  it("takes the client from X-Forwarded-For only through hops TRUST_PROXY trusts", () => {
    const req = (peer: string, xff?: string) => ({ socket: { remoteAddress: peer }, headers: xff ? { "x-forwarded-for": xff } : {} });
    const none = () => false;
    const loopback = (address: string) => address === "127.0.0.1";
    expect(peerAddress(req("127.0.0.1", "6.6.6.6"), none)).toBe("127.0.0.1");
    expect(peerAddress(req("127.0.0.1", "6.6.6.6, 203.0.113.9"), loopback)).toBe("203.0.113.9");
    expect(peerAddress(req("198.51.100.7", "6.6.6.6"), loopback)).toBe("198.51.100.7");
  });
});

// Issue 13, "Also": rate limits on public endpoints, per client and per shop, 429 with Retry-After.
describe("/collect rate limits over HTTP", () => {
  let server: TestServer;
  const shop = randomShop("rl");
  let base: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_0123456789abcdef", SHOPIFY_API_SECRET: "s" } });
    base = server.url.replace("localhost", "127.0.0.1");
  });
  afterAll(() => server?.close());

  const collect = (from: string, body: object) =>
    rawRequest(`${base}/collect`, { method: "POST", headers: { "Content-Type": "text/plain" }, body: JSON.stringify(body), localAddress: from });

  it("refuses one flooding client with 429 and Retry-After, and keeps serving another", async () => {
    const pixelKey = await ensurePixelKey(server.runtime.database.db, shop);
    const flood = await Promise.all(Array.from({ length: LIMITS.client.burst * 2 }, () => collect("127.0.0.2", { shop, pixelKey, events: [] })));
    const refused = flood.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused[0]!.headers["access-control-allow-origin"]).toBe("*");
    // Every other answer was the body's own problem (no events), not a limit.
    expect(new Set(flood.filter((r) => r.status !== 429).map((r) => r.status))).toEqual(new Set([400]));
    expect((await collect("127.0.0.3", { shop, pixelKey, events: [] })).status).toBe(400);
  });
});
