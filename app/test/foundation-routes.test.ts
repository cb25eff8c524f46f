import { readFileSync } from "node:fs";
import path from "node:path";
import { sessionTable, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { loader as healthz } from "../routes/healthz.ts";
import { action as uninstalled } from "../routes/webhooks.app.uninstalled.ts";
import { signWebhook } from "../server/shopify/webhooks.ts";
import { createTestRuntime, routeArgs } from "../server/testing.ts";

const SECRET = "hush";
const FIXTURE = path.resolve(
  import.meta.dirname,
  "../../fixtures/shopify/generated/webhooks/app_uninstalled.json",
);

function webhook(shop: string, body: string, { id = crypto.randomUUID(), hmac = signWebhook(body, SECRET) } = {}) {
  return new Request("http://cartback.test/webhooks/app/uninstalled", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "app/uninstalled",
      "x-shopify-shop-domain": shop,
      "x-shopify-webhook-id": id,
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-api-version": "2026-10",
    },
  });
}

/** The app/uninstalled payload (the shop object), addressed to `shop`. */
function samplePayload(shop: string): string {
  return JSON.stringify(JSON.parse(readFileSync(FIXTURE, "utf8").replaceAll("{shop}.myshopify.com", shop)));
}

describeEachDatabase("foundation routes", (database) => {
  const runtime = () =>
    createTestRuntime(database(), {
      SHOPIFY_SHOP: "x.myshopify.com",
      SHOPIFY_ADMIN_TOKEN: "shpat_x",
      SHOPIFY_API_SECRET: SECRET,
    });

  it("reports the database and worker on /healthz", async () => {
    const response = await healthz(routeArgs(runtime(), new Request("http://x/healthz")));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      database: { ok: true, kind: database().kind },
      worker: { state: "off" },
    });
  });

  it("marks the shop uninstalled and drops its sessions, once, for a signed app/uninstalled", async () => {
    const shop = randomShop();
    const db = database().db;
    await db.insert(shops).values({ shop });
    await db.insert(sessionTable).values({ id: `offline_${shop}`, shop, state: "s", accessToken: "t" });
    const body = samplePayload(shop);
    const id = crypto.randomUUID();
    const first = await uninstalled(routeArgs(runtime(), webhook(shop, body, { id })));
    expect(first.status).toBe(200);
    const [row] = await db.select().from(shops).where(eq(shops.shop, shop));
    expect(row?.uninstalledAt).toBeInstanceOf(Date);
    expect(await db.select().from(sessionTable).where(eq(sessionTable.shop, shop))).toEqual([]);
    // Shopify's retry of the same delivery is acknowledged and changes nothing.
    await db.update(shops).set({ uninstalledAt: null }).where(eq(shops.shop, shop));
    expect((await uninstalled(routeArgs(runtime(), webhook(shop, body, { id })))).status).toBe(200);
    const [after] = await db.select().from(shops).where(eq(shops.shop, shop));
    expect(after?.uninstalledAt).toBeNull();
  });

  it("refuses a webhook whose HMAC does not match, changing nothing", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop });
    const response = await uninstalled(routeArgs(runtime(), webhook(shop, "{}", { hmac: signWebhook("{}", "wrong") })));
    expect(response.status).toBe(401);
    const [row] = await database().db.select().from(shops).where(eq(shops.shop, shop));
    expect(row?.uninstalledAt).toBeNull();
  });
});
