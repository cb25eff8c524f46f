import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { rawRequest } from "./testing.ts";

// `npm run fuzz` found these answering 500: a post with any Origin to a path under the
// key- or signature-authenticated prefixes that no route matches reached Remix's own Origin
// check, which throws. They are not found (404), whatever the Origin.
const base = (server: TestServer) => server.url.replace("localhost", "127.0.0.1");

describe("posts with an Origin to unmatched paths under the open prefixes", () => {
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
});
