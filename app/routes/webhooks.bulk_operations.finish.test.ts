import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts } from "@cartback/shopify-fake";
import { expect, it } from "vitest";
import { catalogWorkSettled } from "../server/catalog/deps.ts";
import { catalogSyncStatus } from "../server/catalog/status.ts";
import { startFullSync } from "../server/catalog/sync.ts";
import { catalogHarness, SHOPIFY_FIXTURES, TEST_API_SECRET } from "../server/catalog/testing.ts";
import { signWebhook } from "../server/shopify/webhooks.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action } from "./webhooks.bulk_operations.finish.ts";

const SAMPLE = path.join(SHOPIFY_FIXTURES, "generated/webhooks/bulk_operations_finish.json");

describeEachDatabase("bulk_operations/finish webhook", (database) => {
  it("reads the finished operation's result into the catalog, once per delivery", async () => {
    const h = await catalogHarness(database(), randomShop(), { products: generateProducts(30, 3), bulkCompletion: "manual", lineOrder: "shuffled" });
    try {
      const runtime = createTestRuntime(database(), h.env);
      const started = await startFullSync(h.deps, h.shop);
      if (started.type !== "started") throw new Error(started.type);
      h.fake.state.completeBulk();
      // The real sample, pointed at the operation this sync started.
      const raw = readFileSync(SAMPLE, "utf8").replace("gid://shopify/BulkOperation/147595010", started.bulkOperationId);
      const send = async (webhookId: string, body = raw, secret = TEST_API_SECRET) => {
        const request = new Request("http://localhost/webhooks/bulk_operations/finish", {
          method: "POST",
          body,
          headers: {
            "x-shopify-topic": "bulk_operations/finish", "x-shopify-shop-domain": h.shop, "x-shopify-webhook-id": webhookId,
            "x-shopify-hmac-sha256": signWebhook(body, secret),
          },
        });
        return action(routeArgs(runtime, request) as never);
      };
      const webhookId = randomUUID();
      expect((await send(webhookId)).status).toBe(200);
      expect((await send(webhookId)).status).toBe(200);
      expect((await send(randomUUID())).status).toBe(200);
      await catalogWorkSettled(runtime);
      const status = await catalogSyncStatus(database().db, h.shop);
      expect(status.lastSync).toMatchObject({ status: "completed", rows: 30 });
      expect(status.shopifyRowCount).toBe(30);
      expect((await send(randomUUID(), raw, "wrong")).status).toBe(401);
      const bad = await send(randomUUID(), JSON.stringify({ admin_graphql_api_id: "nope" }));
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("admin_graphql_api_id");
    } finally {
      await h.fake.close();
    }
  });
});
