import type { CartActivity } from "@cartback/core/profile/activity";
import { shopifyCartIds } from "@cartback/core/profile/state";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { profiles } from "@cartback/db";
import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { action as apiAction } from "../../routes/api.v1.events.ts";
import { action as collectAction } from "../../routes/collect.ts";
import { action as proxyAction } from "../../routes/proxy.events.ts";
import { action as cartsAction } from "../../routes/webhooks.carts.ts";
import { action as checkoutsAction } from "../../routes/webhooks.checkouts.ts";
import { action as ordersAction } from "../../routes/webhooks.orders.ts";
import { findProfileId, loadProfileState } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { routeArgs } from "../testing.ts";
import { apiRequest, collectRequest, ingestRuntime, installShop, proxyRequest, webhookRequest } from "./testing.ts";
import { configureIngest } from "./service.ts";

type Action = (args: never) => Promise<unknown>;
const T0 = Date.UTC(2026, 2, 1, 12, 0, 0);
const iso = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const A = "44843038015702";
const B = "704912205188288575";

async function send(action: Action, runtime: Runtime, request: Request): Promise<number> {
  const response = (await action(routeArgs(runtime, request) as never)) as Response;
  return response.status;
}

/** A pixel standard event as Shopify's analytics.subscribe hands it over. */
function pixelAdd(id: string, seconds: number, variantId: string, quantity: number) {
  return {
    id,
    name: "product_added_to_cart",
    clientId: "browser-1",
    timestamp: iso(seconds),
    data: { cartLine: { quantity, merchandise: { id: variantId, price: { amount: 749.95, currencyCode: "USD" }, product: { id: "1", title: "Board" } } } },
  };
}

/** Raw JSON as Shopify sends it: variant ids are bare numbers, some above 2^53. */
function cartWebhook(seconds: number, lines: [string, number][]) {
  const items = lines.map(([v, q]) => `{"variant_id":${v},"quantity":${q},"price":"749.95"}`).join(",");
  return `{"id":"c1-journey","token":"c1-journey","updated_at":"${iso(seconds)}","line_items":[${items}]}`;
}

describeEachDatabase("one journey through all four sources at once", (database) => {
  let runtime: Runtime;
  const activities: CartActivity[] = [];
  beforeAll(() => {
    runtime = ingestRuntime(database());
    configureIngest(runtime, {
      async onActivity(tx, batch) {
        // Runs inside the ingest transaction: the profile it names is visible here.
        const [row] = await tx.select({ id: profiles.id }).from(profiles).where(eq(profiles.id, batch[0]!.profileId));
        expect(row).toBeDefined();
        activities.push(...batch);
      },
    });
  });

  it("ends with one profile holding the true cart, each add counted once", async () => {
    const shop = randomShop();
    const { apiKey, pixelKey } = await installShop(database(), shop);
    const sdk = (events: unknown[]) => proxyRequest(shop, { events });
    const requests: [Action, Request][] = [
      // Web pixel: adds without a cart token.
      [collectAction, collectRequest({ shop, pixelKey, events: [pixelAdd("px-1", 0.3, A, 1)] })],
      [collectAction, collectRequest({ shop, pixelKey, events: [pixelAdd("px-2", 60.2, B, 2)] })],
      // Storefront SDK through the app proxy: the add, then /cart.js right after.
      [proxyAction, sdk([{ id: "sdk-1", name: "Added to Cart", occurredAt: iso(0), clientId: "browser-1", cartToken: "c1-journey?key=s3cr3t", variantId: A, quantity: 1, price: 749.95, currency: "USD" }, { id: "sdk-2", name: "Cart Snapshot", occurredAt: iso(1), clientId: "browser-1", cartToken: "c1-journey?key=s3cr3t", currency: "USD", lines: [{ variantId: Number(A), quantity: 1, priceMinor: 74995 }] }])],
      [proxyAction, sdk([{ id: "sdk-3", name: "Added to Cart", occurredAt: iso(60), clientId: "browser-1", cartToken: "c1-journey?key=s3cr3t", variantId: B, quantity: 2 }, { id: "sdk-4", name: "Cart Snapshot", occurredAt: iso(61), clientId: "browser-1", cartToken: "c1-journey?key=s3cr3t", lines: [{ variantId: A, quantity: 1 }, { variantId: B, quantity: 2 }] }])],
      // Shopify's carts/update webhooks (stamped by Shopify's clock).
      [cartsAction, webhookRequest("carts", "carts/update", shop, cartWebhook(0.8, [[A, 1]]))],
      [cartsAction, webhookRequest("carts", "carts/update", shop, cartWebhook(60.9, [[A, 1], [B, 2]]))],
      // A custom source names the shopper.
      [apiAction, apiRequest(apiKey, { events: [{ id: "api-1", name: "Identify", occurredAt: iso(90), cartToken: "c1-journey", email: "ana@example.com", firstName: "Ana", via: "form" }] })],
    ];
    const statuses = await Promise.all(requests.map(([action, request]) => send(action, runtime, request)));
    expect(statuses).toEqual(requests.map(() => 200));

    const ids = await Promise.all([
      findProfileId(database().db, shop, "clientId", "browser-1"),
      findProfileId(database().db, shop, "cartToken", "c1-journey"),
      findProfileId(database().db, shop, "email", "ana@example.com"),
    ]);
    expect(new Set(ids).size).toBe(1);
    const live = await database().db.select().from(profiles).where(and(eq(profiles.shop, shop), isNull(profiles.mergedInto)));
    expect(live).toHaveLength(1);
    const state = await loadProfileState(database().db, shop, ids[0]!);
    expect(state?.cart.map((l) => [l.variantId, l.quantity])).toEqual([[A, 1], [B, 2]]);
    expect(shopifyCartIds(state!)).toEqual([A, B]);
    expect(state).toMatchObject({ email: "ana@example.com", firstName: "Ana" });
    const mine = activities.filter((a) => a.shop === shop);
    expect(mine.some((a) => a.kind === "cart_changed" && a.added)).toBe(true);
    expect(mine.some((a) => a.kind === "identified" && a.identifier === "email")).toBe(true);

    // The purchase arrives by webhook with the cart token: the cart empties and the episode ends.
    const order = `{"id":820982911946154508,"email":"ana@example.com","cart_token":"c1-journey","checkout_token":"k-1","created_at":"${iso(300)}","total_price":"2249.85","currency":"USD","line_items":[]}`;
    expect(await send(ordersAction, runtime, webhookRequest("orders", "orders/create", shop, order))).toBe(200);
    const after = await loadProfileState(database().db, shop, ids[0]!);
    expect(after?.cart).toEqual([]);
    expect(after?.charges.map((c) => c.orderId)).toEqual(["820982911946154508"]);
    expect(activities.filter((a) => a.shop === shop && a.kind === "charged")).toHaveLength(1);
    expect(await send(checkoutsAction, runtime, webhookRequest("checkouts", "checkouts/update", shop, JSON.stringify({ token: "k-1", cart_token: "c1-journey", updated_at: iso(200), email: "ana@example.com", line_items: [] })))).toBe(200);
    expect((await loadProfileState(database().db, shop, ids[0]!))?.cart).toEqual([]);
  });
});
