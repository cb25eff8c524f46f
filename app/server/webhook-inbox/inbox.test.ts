import { parseJsonLossless } from "@cartback/core/ids/json";
import { profileIdentities, webhookInbox } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq, sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { action as cartsAction } from "../../routes/webhooks.carts.ts";
import { action as ordersAction } from "../../routes/webhooks.orders.ts";
import { FIXTURES, ingestRuntime, installShop, webhookPayload, webhookRequest } from "../ingest/testing.ts";
import { findProfileId, listProfileEvents } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { routeArgs } from "../testing.ts";
import { startInboxDrain } from "./drain.ts";
import { buyerKeys } from "./receive.ts";
import { purgeCustomerDeliveries } from "./redact.ts";
import { inboxBacklog, leaseBatch, storeDeliveries } from "./store.ts";
import { translateOrder } from "./translate.ts";

const CART = webhookPayload("generated/webhooks/carts_update.json");
const TOKEN = "eeafa272cebfd4b22385bc4b645e762c";
const cartOf = (token: string) => CART.replaceAll(TOKEN, token);
const stored = (shop: string, webhookId: string, body: string, holdMs = 0, topic = "carts/update") => ({ shop, webhookId, topic, body, receivedAt: new Date(), holdMs });

async function drained(runtime: Runtime, shop: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await inboxBacklog(runtime.database.db, shop)).waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the inbox did not drain within 15 s");
}

describeEachDatabase("webhook inbox", (database) => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = ingestRuntime(database());
    expect(FIXTURES).toBeTruthy();
  });

  it("applies each delivery before its answer below a burst, with what it did", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const drain = startInboxDrain(runtime);
    try {
      const answers = await Promise.all(
        ["calm-1", "calm-2", "calm-3"].map(async (token) => {
          const response = (await cartsAction(routeArgs(runtime, webhookRequest("carts", "carts/update", shop, cartOf(token))) as never)) as Response;
          return (await response.json()) as Record<string, unknown>;
        }),
      );
      expect(answers).toEqual([expect.objectContaining({ accepted: 1 }), expect.objectContaining({ accepted: 1 }), expect.objectContaining({ accepted: 1 })]);
      expect((await inboxBacklog(database().db, shop)).waiting).toBeLessThanOrEqual(3); // applied rows are deleted in batches
    } finally {
      await drain.stop();
    }
  });

  it("applies a delivery acknowledged but never applied (a crash after the 200) once, and a second copy changes nothing", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    await storeDeliveries(database().db, [stored(shop, "w-crash", cartOf("crash-cart"))]);
    expect((await inboxBacklog(database().db, shop)).waiting).toBe(1);
    const drain = startInboxDrain(runtime);
    try {
      await drained(runtime, shop);
      const profileId = await findProfileId(database().db, shop, "cartToken", "crash-cart");
      expect(profileId).toBeTruthy();
      // Shopify's retry of the same delivery after it was applied: stored again, claimed already.
      await storeDeliveries(database().db, [stored(shop, "w-crash", cartOf("crash-cart"))]);
      drain.nudge();
      await drained(runtime, shop);
      expect(await listProfileEvents(database().db, shop, profileId!)).toHaveLength(1);
    } finally {
      await drain.stop();
    }
  });

  it("stores an order's buyer keys exactly as ingest then records the buyer's identities, and none for a cart", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const raw = webhookPayload("generated/webhooks/orders_create.json");
    const translated = translateOrder("orders/create", parseJsonLossless(raw), { shopCurrency: "USD" });
    if (translated?.type !== "ok") throw new Error("the order fixture did not translate");
    const keys = buyerKeys({ shop, webhookId: "w-order", topic: "orders/create", raw, events: translated.events }, new Date());
    expect(keys?.some((key) => key.startsWith("email:"))).toBe(true);
    const response = (await ordersAction(routeArgs(runtime, webhookRequest("orders", "orders/create", shop, raw)) as never)) as Response;
    expect(response.status).toBe(200);
    const owners = await database().db.select({ profileId: profileIdentities.profileId }).from(profileIdentities)
      .where(and(eq(profileIdentities.shop, shop), sql`${profileIdentities.key} = any(${sql.param(keys)}::text[])`));
    // Every key names the buyer's profile, as the claim's overlap test (campaigns/decide-due.ts) reads it.
    expect(owners).toHaveLength(keys!.length);
    expect(new Set(owners.map((o) => o.profileId)).size).toBe(1);
    expect(buyerKeys({ shop, webhookId: "w-cart", topic: "carts/update", raw: CART, events: [{ name: "Cart Snapshot", cartToken: TOKEN }] }, new Date())).toBeNull();
  });

  it("answers a burst without waiting for ingest and applies every acknowledged delivery", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const drain = startInboxDrain(runtime);
    // A burst is over 100 deliveries a second by default; 40 at once are one here.
    process.env.CARTBACK_WEBHOOK_BURST = "10";
    try {
      const tokens = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
      const answers = await Promise.all(
        tokens.map(async (token) => {
          const response = (await cartsAction(routeArgs(runtime, webhookRequest("carts", "carts/update", shop, cartOf(token))) as never)) as Response;
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        }),
      );
      expect(answers.every((a) => a.status === 200)).toBe(true);
      expect(answers.filter((a) => a.body.queued === true).length).toBeGreaterThan(0);
      await drained(runtime, shop);
      for (const token of tokens) expect(await findProfileId(database().db, shop, "cartToken", token), token).toBeTruthy();
    } finally {
      delete process.env.CARTBACK_WEBHOOK_BURST;
      await drain.stop();
    }
  });

  it("keeps a shop's rows to one drain at a time, and frees a lease a crashed drain left once it expires", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    await storeDeliveries(database().db, [stored(shop, "w1", cartOf("lease-1")), stored(shop, "w2", cartOf("lease-2"))]);
    const first = (await leaseBatch(database(), "dead-drain", 1)).filter((r) => r.shop === shop);
    expect(first.map((r) => r.webhookId)).toEqual(["w1"]);
    expect((await leaseBatch(database(), "other-drain", 10)).filter((r) => r.shop === shop)).toEqual([]);
    await database().db.update(webhookInbox).set({ availableAt: sql`now() - interval '1 second'` }).where(eq(webhookInbox.shop, shop));
    const retaken = (await leaseBatch(database(), "other-drain", 10)).filter((r) => r.shop === shop);
    expect(retaken.map((r) => r.webhookId)).toEqual(["w1", "w2"]);
    expect(retaken[0]!.attempts).toBe(2);
  });

  it("customers/redact deletes waiting deliveries naming the customer or a cart their profile holds, and keeps the others", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const checkout = webhookPayload("generated/webhooks/checkouts_create.json");
    await storeDeliveries(database().db, [
      stored(shop, "w-checkout", checkout, 600_000, "checkouts/create"),
      stored(shop, "w-other", cartOf("someone-else"), 600_000),
    ]);
    const purged = await database().db.transaction((tx) => purgeCustomerDeliveries(tx as never, shop, new Set(["email:example@email.com"])));
    expect(purged).toBe(1);
    const left = await database().db.select({ id: webhookInbox.webhookId }).from(webhookInbox).where(eq(webhookInbox.shop, shop));
    expect(left.map((r) => r.id)).toEqual(["w-other"]);
    const backlog = await inboxBacklog(database().db, shop);
    expect(backlog.waiting).toBe(1);
    expect(backlog.oldestSeconds).toBeGreaterThanOrEqual(0);
  });
});
