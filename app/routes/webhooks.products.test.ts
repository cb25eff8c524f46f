import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { generateProducts } from "@cartback/shopify-fake";
import { expect, it } from "vitest";
import { getCatalogRows } from "../server/catalog/repository.ts";
import { startFullSync, pollSync } from "../server/catalog/sync.ts";
import { catalogHarness, SHOPIFY_FIXTURES, TEST_API_SECRET } from "../server/catalog/testing.ts";
import { signWebhook } from "../server/shopify/webhooks.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";
import { action } from "./webhooks.products.ts";

const SAMPLES = path.join(SHOPIFY_FIXTURES, "generated/webhooks");
const sample = (name: string) => readFileSync(path.join(SAMPLES, `${name}.json`), "utf8");

function webhook(shop: string, topic: string, raw: string, options: { webhookId?: string; secret?: string } = {}) {
  return new Request("http://localhost/webhooks/products", {
    method: "POST",
    body: raw,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": shop,
      "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
      "x-shopify-api-version": "2026-10",
      "x-shopify-hmac-sha256": signWebhook(raw, options.secret ?? TEST_API_SECRET),
    },
  });
}

const PRODUCT_VARIANTS = ["642667041472713922", "757650484644203962"];

describeEachDatabase("products webhooks", (database) => {
  async function setup(enabled = true) {
    const h = await catalogHarness(database(), randomShop(), { products: generateProducts(6, 2) }, enabled);
    if (enabled) await pollSync(h.deps, h.shop, await started(h), { sleep: async () => {} });
    const runtime = createTestRuntime(database(), h.env);
    const send = async (topic: string, raw: string, options?: { webhookId?: string; secret?: string }) => {
      const res = await action(routeArgs(runtime, webhook(h.shop, topic, raw, options)) as never);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const rows = (ids = PRODUCT_VARIANTS) => getCatalogRows(database().db, h.shop, "shopify-catalog", ids);
    return { h, send, rows };
  }

  async function started(h: Awaited<ReturnType<typeof catalogHarness>>): Promise<string> {
    const result = await startFullSync(h.deps, h.shop);
    if (result.type !== "started") throw new Error(result.type);
    return result.bulkOperationId;
  }

  it("applies the real products/create and products/update samples under their exact ids above 2^53", async () => {
    const { h, send, rows } = await setup();
    try {
      expect((await send("products/create", sample("products_create"))).status).toBe(200);
      const update = JSON.parse(sample("products_update").replace('"title": "Example T-Shirt"', '"title": "Example T-Shirt <b>ÉTÉ</b> 🌞"'));
      const raw = sample("products_update").replace('"title": "Example T-Shirt"', '"title": "Example T-Shirt <b>ÉTÉ</b> 🌞"');
      expect(update.title).toContain("ÉTÉ");
      expect(await send("products/update", raw)).toEqual({ status: 200, body: { ok: true, result: "applied" } });
      const applied = (await rows()).sort((a, b) => a.Identity.localeCompare(b.Identity));
      expect(applied.map((r) => [r.Identity, r.ProductId, r.Name, r.Price])).toEqual([
        ["642667041472713922", "788032119674292922", "Example T-Shirt <b>ÉTÉ</b> 🌞 - Small", 1999],
        ["757650484644203962", "788032119674292922", "Example T-Shirt <b>ÉTÉ</b> 🌞 - Medium", 1999],
      ]);
    } finally {
      await h.fake.close();
    }
  });

  it("ignores a redelivery with the same webhook id", async () => {
    const { h, send, rows } = await setup();
    try {
      const webhookId = randomUUID();
      await send("products/update", sample("products_update"), { webhookId });
      const renamed = sample("products_update").replace('"title": "Example T-Shirt"', '"title": "Renamed"');
      expect((await send("products/update", renamed, { webhookId })).body).toEqual({ ok: true, result: "duplicate" });
      expect((await rows()).every((r) => r.Name.startsWith("Example T-Shirt"))).toBe(true);
    } finally {
      await h.fake.close();
    }
  });

  it("removes a product's rows on products/delete and a dropped variant on update", async () => {
    const { h, send, rows } = await setup();
    try {
      await send("products/update", sample("products_update"));
      const oneVariant = JSON.parse(sample("products_update")) as { variants: unknown[]; variant_gids: unknown[] };
      const raw = sample("products_update")
        .replace(/"variant_gids": \[[\s\S]*?\],\n    "variants"/, `"variant_gids": [{"admin_graphql_api_id": "gid://shopify/ProductVariant/642667041472713922", "updated_at": "2022-01-02T00:00:00.000Z"}],\n    "variants"`)
        .replace(/,\s*\{\s*"admin_graphql_api_id": "gid:\/\/shopify\/ProductVariant\/757650484644203962"[\s\S]*?\n        \}/, "");
      expect(oneVariant.variants).toHaveLength(2);
      expect((await send("products/update", raw)).status).toBe(200);
      expect((await rows()).map((r) => r.Identity)).toEqual(["642667041472713922"]);
      // The delete sample's id was rounded by the JSON number; the real id is what Shopify sends.
      const del = sample("products_delete").replace("788032119674292900", "788032119674292922");
      expect((await send("products/delete", del)).status).toBe(200);
      expect(await rows()).toEqual([]);
    } finally {
      await h.fake.close();
    }
  });

  it("refuses a wrong HMAC and names the field of a bad payload", async () => {
    const { h, send, rows } = await setup();
    try {
      expect((await send("products/update", sample("products_update"), { secret: "wrong" })).status).toBe(401);
      const bad = await send("products/update", JSON.stringify({ id: 1, variants: [] }));
      expect(bad).toEqual({ status: 400, body: { error: expect.objectContaining({ code: "bad_payload", field: "title" }) } });
      expect(await rows()).toEqual([]);
    } finally {
      await h.fake.close();
    }
  });

  it("does not apply changes while Catalog Sync is off", async () => {
    const { h, send, rows } = await setup(false);
    try {
      expect((await send("products/update", sample("products_update"))).body).toEqual({ ok: true, result: "sync_off" });
      expect(await rows()).toEqual([]);
    } finally {
      await h.fake.close();
    }
  });

  it("does not bring back a product deleted while a full sync is running", async () => {
    const { h, send } = await setup();
    try {
      const doomed = h.fake.state.products[0]!;
      const bulkOperationId = await started(h);
      const del = `{"id": ${doomed.id}}`; // a bare number above 2^53, as Shopify sends it
      expect((await send("products/delete", del)).status).toBe(200);
      // The export still lists it; the delete came later and wins.
      expect(await pollSync(h.deps, h.shop, bulkOperationId, { sleep: async () => {} })).toMatchObject({ type: "completed", rows: 4 });
      expect(await getCatalogRows(database().db, h.shop, "shopify-catalog", doomed.variants.map((v) => v.id))).toEqual([]);
    } finally {
      await h.fake.close();
    }
  });

  it("keeps a change that arrives while a full sync is running", async () => {
    const { h, send, rows } = await setup();
    try {
      const bulkOperationId = await started(h);
      await send("products/update", sample("products_update"));
      expect(await pollSync(h.deps, h.shop, bulkOperationId, { sleep: async () => {} })).toMatchObject({ type: "completed", rows: 8 });
      expect(await rows()).toHaveLength(2);
    } finally {
      await h.fake.close();
    }
  });
});
