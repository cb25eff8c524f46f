import { randomUUID } from "node:crypto";
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadShopContext } from "../server/campaigns/shop-context.ts";
import { signWebhook } from "../server/shopify/webhooks.ts";
import { startTestServer, type TestServer } from "../server/testing-server.ts";

const SHOP = "berlin-boards.myshopify.com";
const SECRET = "shop-update-secret";

/** The web process as `npm start` runs it (built routes, worker inline), self-hosted on a fake Admin API. */
describe("shop settings in the running server", () => {
  let fake: FakeShopifyAdmin;
  let server: TestServer;
  beforeAll(async () => {
    fake = await startFakeShopifyAdmin({
      shop: SHOP,
      shopInfo: { name: "Berlin Boards", currencyCode: "EUR", ianaTimezone: "Europe/Berlin", moneyFormat: "{{amount_with_comma_separator}} €", contactEmail: "hallo@berlin-boards.example" },
    });
    server = await startTestServer({
      env: { SHOPIFY_SHOP: SHOP, SHOPIFY_ADMIN_TOKEN: fake.state.accessToken, SHOPIFY_API_SECRET: SECRET, SHOPIFY_ADMIN_API_ORIGIN: fake.origin, CARTBACK_WORKER: "inline", MAIL_FROM: "" },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it("reads EUR and Europe/Berlin from the shop query on start, and follows a signed shop/update", { timeout: 60_000 }, async () => {
    const db = server.runtime.database.db;
    await expect.poll(async () => loadShopContext(db, SHOP), { timeout: 10_000 }).toMatchObject({
      name: "Berlin Boards", currency: "EUR", timezone: "Europe/Berlin", contactEmail: "hallo@berlin-boards.example",
    });
    const raw = JSON.stringify({
      name: "Berlin Boards", email: "owner@berlin-boards.example", customer_email: "service@berlin-boards.example", currency: "CHF",
      iana_timezone: "Europe/Zurich", money_format: "CHF {{amount}}", money_with_currency_format: "CHF {{amount}}", updated_at: new Date(Date.now() + 1000).toISOString(),
    });
    const post = (signature: string) =>
      fetch(`${server.url}/webhooks/shop/update`, {
        method: "POST",
        body: raw,
        headers: {
          "content-type": "application/json", "x-shopify-topic": "shop/update", "x-shopify-shop-domain": SHOP,
          "x-shopify-webhook-id": randomUUID(), "x-shopify-hmac-sha256": signature,
        },
      });
    expect((await post(signWebhook(raw, "not-the-secret"))).status).toBe(401);
    const res = await post(signWebhook(raw, SECRET));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, result: "applied" });
    expect(await loadShopContext(db, SHOP)).toMatchObject({ currency: "CHF", timezone: "Europe/Zurich", moneyFormat: "CHF {{amount}}", contactEmail: "service@berlin-boards.example" });
  });
});
