import { randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieOf, postLogin, rawRequest } from "../server/admin-auth/testing.ts";
import { type TestServer, startTestServer } from "../server/testing-server.ts";

const PASSWORD = "correct horse battery";

// Issue 13, finding 3: every route has a body limit checked while reading. The admin's own form
// actions read request.formData() with none; only a signed-in merchant reaches them, which is
// no reason to let one request fill the process's memory.
describe("admin form actions refuse oversized bodies while reading", () => {
  let server: TestServer;
  let base: string;
  let cookie: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { ADMIN_PASSWORD: PASSWORD, SHOPIFY_SHOP: randomShop("forms"), SHOPIFY_ADMIN_TOKEN: "shpat_0123456789abcdef", SHOPIFY_API_SECRET: "s" } });
    base = server.url.replace("localhost", "127.0.0.1");
    cookie = cookieOf(await postLogin(base, PASSWORD));
  });
  afterAll(() => server?.close());

  const post = (path: string, body: string) =>
    rawRequest(`${base}${path}`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });

  it("answers 413 for Settings, Campaigns and Catalog forms over their limits, and still serves the next request", async () => {
    expect((await post("/app/settings", `fromName=${"x".repeat(200_000)}`)).status).toBe(413);
    expect((await post("/app/campaigns", `intent=template&html=${"x".repeat(2 * 1024 * 1024)}`)).status).toBe(413);
    expect((await post("/app/catalog", `intent=import&csv=${"x".repeat(51 * 1024 * 1024)}`)).status).toBe(413);
    expect((await rawRequest(`${base}/app/settings`, { headers: { Cookie: cookie } })).status).toBe(200);
  });
});
