import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { rawRequest } from "./testing.ts";

// `npm run fuzz` found these answering 500: a post with any Origin to a path under the
// key- or signature-authenticated prefixes that no route matches reached Remix's own Origin
// check, which throws (they are not found: 404, whatever the Origin); and a Host or
// X-Forwarded-Host from which @remix-run/express builds no URL (400, naming the header).
const base = (server: TestServer) => server.url.replace("localhost", "127.0.0.1");

describe("request headers the Remix adapter cannot use", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("answer 404, not 500, for a foreign, opaque or unparsable Origin", async () => {
    for (const path of ["/webhooks/nope", "/api/v1/", "/api/v1/catalogs/..", "/proxy/x"]) {
      for (const origin of ["https://evil.example", "null", "br"]) {
        const response = await rawRequest(`${base(server)}${path}`, { method: "PUT", headers: { Origin: origin, "Content-Type": "application/json" }, body: "{}" });
        expect([path, origin, response.status]).toEqual([path, origin, 404]);
      }
    }
  });

  it("answers 400 naming the header, not 500, for a Host or X-Forwarded-Host no URL can hold, and serves a good one", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ "X-Forwarded-Host": "a:99999999" }, "X-Forwarded-Host"],
      [{ "X-Forwarded-Host": ":70000" }, "X-Forwarded-Host"],
      [{ Host: "a b" }, "Host"],
      [{ Host: "127.0.0.1:99999" }, "Host"],
    ];
    for (const [headers, field] of cases) {
      for (const path of ["/healthz", "/webhooks/orders", "/unsubscribe"]) {
        const response = await rawRequest(`${base(server)}${path}`, { method: path === "/healthz" ? "GET" : "POST", headers, body: path === "/healthz" ? undefined : "{}" });
        expect([path, headers, response.status]).toEqual([path, headers, 400]);
        expect(JSON.parse(response.body)).toMatchObject({ error: { field } });
      }
    }
    const fine = await rawRequest(`${base(server)}/healthz`, { headers: { "X-Forwarded-Host": "shop.example.com:8443" } });
    expect(fine.status).toBe(200);
  });
});
