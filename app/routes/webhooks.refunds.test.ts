import { revenueRefunds } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { ingestRuntime, installShop, webhookRequest } from "../server/ingest/testing.ts";
import { routeArgs } from "../server/testing.ts";
import { action } from "./webhooks.refunds.ts";

describeEachDatabase("POST /webhooks/refunds", (database) => {
  const post = async (request: Request) => (await action(routeArgs(ingestRuntime(database()), request) as never)) as Response;
  const refund = JSON.stringify({ id: 9001, order_id: 4242, created_at: "2026-11-02T10:00:00Z", transactions: [{ kind: "refund", status: "success", amount: "3.00" }] });

  it("stores a signed refund once, however often it is delivered", async () => {
    const shop = randomShop("refund");
    await installShop(database(), shop);
    expect((await post(webhookRequest("refunds", "refunds/create", shop, refund))).status).toBe(200);
    expect((await post(webhookRequest("refunds", "orders/updated", shop, JSON.stringify({ id: 4242, refunds: [JSON.parse(refund)] })))).status).toBe(200);
    const rows = await database().db.select().from(revenueRefunds).where(eq(revenueRefunds.shop, shop));
    expect(rows.map((r) => [r.refundId, r.orderId, r.amountMinor])).toEqual([["9001", "4242", 300]]);
  });

  it("refuses a bad signature, another topic and a refund without its id, storing nothing", async () => {
    const shop = randomShop("refund");
    await installShop(database(), shop);
    expect((await post(webhookRequest("refunds", "refunds/create", shop, refund, { secret: "wrong" }))).status).toBe(401);
    expect((await post(webhookRequest("refunds", "carts/update", shop, refund))).status).toBe(400);
    const missing = await post(webhookRequest("refunds", "refunds/create", shop, JSON.stringify({ order_id: 1 })));
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { field: "body.id" } });
    expect(await database().db.select().from(revenueRefunds).where(eq(revenueRefunds.shop, shop))).toEqual([]);
  });
});
