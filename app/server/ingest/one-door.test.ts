import { randomShop } from "@cartback/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestServer, startTestServer } from "../testing-server.ts";
import { ensurePixelKey, issueApiKey } from "../shops/keys.ts";
import { apiRequest, collectRequest, proxyRequest, SECRET, webhookPayload, webhookRequest } from "./testing.ts";

const DOCS = "generated/webhooks";

// Issue 12: the routes of the server build once held their own copy of the ingest service,
// unwired, so webhooks and the app proxy never reached the campaign engine. Every source now
// submits to the runtime's one service: the built server, driven over HTTP, counts them.
describe("one way in", () => {
  let server: TestServer;
  const shop = randomShop();
  beforeAll(async () => {
    // Self-hosted: the shop is installed at start; no SHOPIFY_APP_URL, so server.url is the bound port.
    server = await startTestServer({ env: { SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: "shpat_0123456789abcdef", SHOPIFY_API_SECRET: SECRET } });
  });
  afterAll(() => server?.close());

  const send = (request: Request) => {
    const url = new URL(request.url);
    return fetch(`${server.url}${url.pathname}${url.search}`, { method: request.method, headers: request.headers, body: request.body, duplex: "half" } as RequestInit);
  };

  it("sends the API, the pixel, the app proxy and every webhook topic through the runtime's ingest service", async () => {
    const apiKey = await issueApiKey(server.runtime.database.db, shop);
    const pixelKey = await ensurePixelKey(server.runtime.database.db, shop);
    const before = { ...server.runtime.ingest.submissions };
    const add = (id: string) => ({ id, name: "Added to Cart", occurredAt: new Date().toISOString(), clientId: "b1", variantId: "11", quantity: 1 });

    const answers = [
      await send(apiRequest(apiKey, { events: [add("api-1")] })),
      await send(collectRequest({ shop, pixelKey, events: [add("px-1")] })),
      await send(proxyRequest(shop, { events: [add("sdk-1")] })),
      await send(webhookRequest("carts", "carts/create", shop, webhookPayload(`${DOCS}/carts_create.json`))),
      await send(webhookRequest("carts", "carts/update", shop, webhookPayload(`${DOCS}/carts_update.json`))),
      await send(webhookRequest("checkouts", "checkouts/create", shop, webhookPayload(`${DOCS}/checkouts_create.json`))),
      await send(webhookRequest("orders", "orders/create", shop, webhookPayload(`${DOCS}/orders_create.json`))),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    const after = server.runtime.ingest.submissions;
    const delta = (source: string) => (after[source] ?? 0) - (before[source] ?? 0);
    expect({ api: delta("api"), pixel: delta("pixel"), sdk: delta("sdk"), webhook: delta("webhook") }).toEqual({ api: 1, pixel: 1, sdk: 1, webhook: 4 });
  });
});
