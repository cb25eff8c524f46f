import { readdirSync } from "node:fs";
import path from "node:path";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { beforeAll, expect, it } from "vitest";
import { action as cartsAction } from "../../routes/webhooks.carts.ts";
import { action as checkoutsAction } from "../../routes/webhooks.checkouts.ts";
import { action as ordersAction } from "../../routes/webhooks.orders.ts";
import { findProfileId, listProfileEvents, loadProfileState } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { routeArgs } from "../testing.ts";
import { FIXTURES, ingestRuntime, installShop, webhookPayload, webhookRequest } from "./testing.ts";

type Action = typeof cartsAction;
const DOCS = "generated/webhooks";

async function post(action: Action, runtime: Runtime, request: Request) {
  const response = (await action(routeArgs(runtime, request) as Parameters<Action>[0])) as Response;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describeEachDatabase("cart, checkout and order webhooks", (database) => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = ingestRuntime(database());
  });

  it("stores a carts/update as the cart token's snapshot, ids above 2^53 exact", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    // The sample's true variant id (see its line key) is above 2^53; restore it in the raw body.
    const raw = webhookPayload(`${DOCS}/carts_update.json`).replaceAll("704912205188288500", "704912205188288575");
    const response = await post(cartsAction, runtime, webhookRequest("carts", "carts/update", shop, raw));
    expect(response.status).toBe(200);
    const profileId = await findProfileId(database().db, shop, "cartToken", "eeafa272cebfd4b22385bc4b645e762c");
    const state = await loadProfileState(database().db, shop, profileId!);
    expect(state?.cart.map((l) => [l.variantId, l.quantity, l.unitPrice, l.currency])).toEqual([["704912205188288575", 3, 1999, "USD"]]);
  });

  it("processes a delivery once: a retried webhook id changes nothing", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const raw = webhookPayload(`${DOCS}/carts_create.json`);
    const first = await post(cartsAction, runtime, webhookRequest("carts", "carts/create", shop, raw, { webhookId: "same" }));
    const again = await post(cartsAction, runtime, webhookRequest("carts", "carts/create", shop, raw, { webhookId: "same" }));
    expect(first.body).toMatchObject({ accepted: 1 });
    expect(again.body).toMatchObject({ alreadyProcessed: true });
  });

  it("claims a delivery and its retry grouped in one transaction once; the group's other delivery applies", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const add = (id: string) => [{ id, name: "Added to Cart", occurredAt: "2026-11-01T10:00:00Z", cartToken: "grouped-cart", variantId: "1", quantity: 1 }];
    const submit = (webhookId: string, id: string) =>
      runtime.ingest.submit({ shop, source: "webhook", items: add(id), receivedAt: new Date(), delivery: { webhookId, topic: "carts/update" } });
    // One lane (one cart token): the first takes the lane, the next three wait and are grouped.
    const [, first, retry, other] = await Promise.all([submit("w0", "e0"), submit("w1", "e1"), submit("w1", "e1"), submit("w2", "e2")]);
    expect([first, retry].filter((o) => o.type === "ok" && o.alreadyProcessed).length).toBe(1);
    expect([first, retry].filter((o) => o.type === "ok" && !o.alreadyProcessed && o.summary.accepted === 1).length).toBe(1);
    expect(other).toMatchObject({ type: "ok", summary: { accepted: 1 } });
    const profileId = await findProfileId(database().db, shop, "cartToken", "grouped-cart");
    expect((await listProfileEvents(database().db, shop, profileId!)).map((e) => e.id).sort()).toEqual(["e0", "e1", "e2"]);
  });

  it("refuses a bad HMAC with 401 and an unknown shop with 404", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const raw = webhookPayload(`${DOCS}/carts_create.json`);
    expect((await post(cartsAction, runtime, webhookRequest("carts", "carts/create", shop, raw, { secret: "wrong" }))).status).toBe(401);
    expect((await post(cartsAction, runtime, webhookRequest("carts", "carts/create", randomShop(), raw))).status).toBe(404);
    expect((await post(cartsAction, runtime, webhookRequest("carts", "orders/create", shop, raw))).status).toBe(400);
  });

  it("links cart, checkout, email and customer from checkouts/create, and empties the cart on orders/create", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    await post(cartsAction, runtime, webhookRequest("carts", "carts/update", shop, webhookPayload(`${DOCS}/carts_update.json`)));
    const checkout = await post(checkoutsAction, runtime, webhookRequest("checkouts", "checkouts/create", shop, webhookPayload(`${DOCS}/checkouts_create.json`)));
    expect(checkout.status).toBe(200);
    const byCart = await findProfileId(database().db, shop, "cartToken", "eeafa272cebfd4b22385bc4b645e762c");
    expect(await findProfileId(database().db, shop, "email", "example@email.com")).toBe(byCart);
    expect(await findProfileId(database().db, shop, "checkoutToken", "123123123")).toBe(byCart);
    // The sample's customer id (603851970716743426 in Shopify's docs) is above 2^53: its digits in the raw body are kept.
    expect(await findProfileId(database().db, shop, "customerId", "603851970716743400")).toBe(byCart);

    const order = JSON.parse(webhookPayload(`${DOCS}/orders_create.json`)) as Record<string, unknown>;
    const orderRaw = JSON.stringify({ ...order, email: "example@email.com", cart_token: "eeafa272cebfd4b22385bc4b645e762c", created_at: "2026-01-01T00:00:00Z" });
    await post(ordersAction, runtime, webhookRequest("orders", "orders/create", shop, orderRaw));
    const paid = await post(ordersAction, runtime, webhookRequest("orders", "orders/paid", shop, orderRaw));
    expect(paid.body).toMatchObject({ accepted: 0, duplicate: 2 });
    const state = await loadProfileState(database().db, shop, byCart!);
    expect(state?.cart).toEqual([]);
    expect(state?.charges.map((c) => c.orderId)).toHaveLength(1);
    const names = (await listProfileEvents(database().db, shop, byCart!)).map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(["Cart Snapshot", "Checkout Started", "Identify", "Charged"]));
  });

  it("refuses a cart snapshot whose line_items it cannot read (the cart stays), keeps a purchase with a malformed total, and answers an order naming nobody with 200", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const cart = { token: "c-bad-lines", created_at: "2026-01-01T00:00:00Z", updated_at: "2026-01-01T00:00:00Z", line_items: [{ variant_id: 44843038015702, quantity: 2, price: "29.00" }] };
    expect((await post(cartsAction, runtime, webhookRequest("carts", "carts/create", shop, JSON.stringify(cart)))).status).toBe(200);
    const later = { ...cart, updated_at: "2026-01-01T00:01:00Z" };
    for (const line_items of ["x", [null], [{}], { a: 1 }]) {
      const refused = await post(cartsAction, runtime, webhookRequest("carts", "carts/update", shop, JSON.stringify({ ...later, line_items })));
      expect(refused.status, JSON.stringify(line_items)).toBe(400);
      expect((refused.body.error as { field?: string }).field).toMatch(/^line_items/);
    }
    const profile = await findProfileId(database().db, shop, "cartToken", "c-bad-lines");
    expect((await loadProfileState(database().db, shop, profile!))?.cart.map((l) => [l.variantId, l.quantity])).toEqual([["44843038015702", 2]]);

    const order = { id: 990001, created_at: "2026-01-01T00:02:00Z", email: "ana@example.com", cart_token: "c-bad-lines", currency: "ZZZZ", total_price: "abc", line_items: [{ variant_id: 44843038015702, quantity: 2, price: "-5.00" }] };
    expect((await post(ordersAction, runtime, webhookRequest("orders", "orders/create", shop, JSON.stringify(order)))).status).toBe(200);
    const bought = await loadProfileState(database().db, shop, profile!);
    expect(bought?.charges.map((c) => c.orderId)).toEqual(["990001"]);
    expect(bought?.cart).toEqual([]);

    const guest = { id: 990002, created_at: "2026-01-01T00:03:00Z", email: "", currency: "USD", total_price: "10.00", line_items: [] };
    const ignored = await post(ordersAction, runtime, webhookRequest("orders", "orders/create", shop, JSON.stringify(guest)));
    expect(ignored).toMatchObject({ status: 200, body: { ok: true, ignored: expect.stringContaining("names no cart") } });
  });

  it("answers every cart, checkout and order sample with 200 or a 4xx naming the field, never a 5xx", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const routes: Record<string, [Action, string, string]> = {
      carts: [cartsAction, "carts", "carts/update"],
      checkouts: [checkoutsAction, "checkouts", "checkouts/update"],
      orders: [ordersAction, "orders", "orders/create"],
    };
    const statuses: string[] = [];
    for (const dir of [DOCS, "admin-rest/shopify_python_api"]) {
      for (const file of readdirSync(path.join(FIXTURES, dir))) {
        const kind = Object.keys(routes).find((k) => (file.startsWith(k) || file.includes(`_${k}`)) && !file.includes("delete"));
        if (!kind) continue;
        const [action, route, topic] = routes[kind]!;
        const response = await post(action, runtime, webhookRequest(route, topic, shop, webhookPayload(`${dir}/${file}`)));
        statuses.push(`${file}:${response.status}`);
        expect(response.status, file).toBeLessThan(500);
        if (response.status !== 200) expect((response.body.error as { field?: string }).field, file).toBeTruthy();
      }
    }
    expect(statuses.filter((s) => s.endsWith(":200")).length).toBeGreaterThan(10);
  });
});
