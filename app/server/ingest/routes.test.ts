import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { profileEvents, profiles } from "@cartback/db";
import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { action as apiAction } from "../../routes/api.v1.events.ts";
import { action as collectAction } from "../../routes/collect.ts";
import { action as proxyAction } from "../../routes/proxy.events.ts";
import { findProfileId, loadProfileState } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { routeArgs } from "../testing.ts";
import { apiRequest, collectRequest, fixture, ingestRuntime, installShop, proxyRequest } from "./testing.ts";

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 12, minutes)).toISOString();
type Body = { error?: { code: string; field?: string; message: string }; results?: { status: string; field?: string; reason?: string }[]; accepted?: number };

async function call(action: typeof apiAction, runtime: Runtime, request: Request): Promise<{ status: number; body: Body; headers: Headers }> {
  const response = (await action(routeArgs(runtime, request) as Parameters<typeof apiAction>[0])) as Response;
  return { status: response.status, body: (await response.json().catch(() => ({}))) as Body, headers: response.headers };
}

async function eventCount(runtime: Runtime, shop: string): Promise<number> {
  return (await runtime.database.db.select().from(profileEvents).where(eq(profileEvents.shop, shop))).length;
}

describeEachDatabase("ingest routes", (database) => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = ingestRuntime(database());
  });

  it("accepts a batch through the public API and answers duplicates on resend", async () => {
    const shop = randomShop();
    const { apiKey } = await installShop(database(), shop);
    const events = [
      { id: "a1", name: "Added to Cart", occurredAt: at(0), clientId: "b1", cartToken: "c1-x?key=k", variantId: "gid://shopify/ProductVariant/704912205188288575", quantity: 2, price: "19.99", currency: "USD" },
      { id: "i1", name: "Identify", occurredAt: at(1), clientId: "b1", email: "Ana@Example.com", via: "form" },
    ];
    const first = await call(apiAction, runtime, apiRequest(apiKey, { events }));
    expect(first.status).toBe(200);
    expect(first.body.results?.map((r) => r.status)).toEqual(["accepted", "accepted"]);
    const second = await call(apiAction, runtime, apiRequest(apiKey, { events }));
    expect(second.body.results?.map((r) => r.status)).toEqual(["duplicate", "duplicate"]);

    const profileId = await findProfileId(database().db, shop, "email", "ana@example.com");
    expect(profileId).toBe(await findProfileId(database().db, shop, "cartToken", "c1-x"));
    const state = await loadProfileState(database().db, shop, profileId!);
    expect(state?.cart.map((l) => [l.variantId, l.quantity, l.unitPrice])).toEqual([["704912205188288575", 2, 1999]]);
    expect(state?.email).toBe("ana@example.com");
  });

  it("applies the valid events of a mixed batch and names the field of each rejected one", async () => {
    const shop = randomShop();
    const { apiKey } = await installShop(database(), shop);
    const response = await call(apiAction, runtime, apiRequest(apiKey, {
      events: [
        { id: "ok", name: "Added to Cart", occurredAt: at(0), clientId: "b1", variantId: "1" },
        { id: "bad-name", name: "Added To Basket", occurredAt: at(0), clientId: "b1", variantId: "1" },
        { id: "bad-id", name: "Added to Cart", occurredAt: at(0), clientId: "b1", variantId: 704912205188288500 },
        { id: "no-ids", name: "Added to Cart", occurredAt: at(0), variantId: "1" },
      ],
    }));
    expect(response.status).toBe(200);
    expect(response.body.results?.map((r) => [r.status, r.field])).toEqual([
      ["accepted", undefined],
      ["rejected", "events[1].name"],
      ["rejected", "events[2].variantId"],
      ["rejected", "events[3].clientId"],
    ]);
    expect(await eventCount(runtime, shop)).toBe(1);
  });

  it.each([
    ["malformed JSON", "{not json", 400, "body"],
    ["no events array", { event: {} }, 400, "events"],
    ["a batch over 500", { events: Array.from({ length: 501 }, (_, i) => ({ id: `${i}` })) }, 413, "events"],
    ["a body over 1 MB", JSON.stringify({ events: [{ id: "x".repeat(1024 * 1024) }] }), 413, "body"],
    ["only invalid events", { events: [{ id: "x", name: "Charged", occurredAt: at(0), email: "a@example.com", orderId: "abc" }] }, 400, "events[0].orderId"],
  ])("answers %s with a 4xx naming the field and stores nothing", async (_label, body, status, field) => {
    const shop = randomShop();
    const { apiKey } = await installShop(database(), shop);
    const response = await call(apiAction, runtime, apiRequest(apiKey, body));
    expect(response.status).toBe(status);
    expect(response.body.error?.field).toBe(field);
    expect(await eventCount(runtime, shop)).toBe(0);
  });

  it("refuses a missing or wrong API key with 401", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const body = { events: [{ id: "a", name: "Added to Cart", occurredAt: at(0), clientId: "b", variantId: "1" }] };
    expect((await call(apiAction, runtime, apiRequest(null, body))).status).toBe(401);
    expect((await call(apiAction, runtime, apiRequest("cbk_wrong", body))).status).toBe(401);
    expect(await eventCount(runtime, shop)).toBe(0);
  });

  it("trusts the proxy's logged-in customer and ignores a customer id claimed in the body", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const event = { id: "p1", name: "Added to Cart", occurredAt: at(0), clientId: "b9", customerId: "666", variantId: "5" };
    const ok = await call(proxyAction, runtime, proxyRequest(shop, { events: [event] }, "603851970716743426"));
    expect(ok.status).toBe(200);
    expect(await findProfileId(database().db, shop, "customerId", "603851970716743426")).toBe(await findProfileId(database().db, shop, "clientId", "b9"));
    expect(await findProfileId(database().db, shop, "customerId", "666")).toBeNull();
    const forged = await call(proxyAction, runtime, proxyRequest(shop, { events: [{ ...event, id: "p2" }] }, "", "not-the-secret"));
    expect(forged.status).toBe(401);
    const unknown = await call(proxyAction, runtime, proxyRequest(randomShop(), { events: [{ ...event, id: "p3" }] }));
    expect(unknown.status).toBe(404);
  });

  it("takes Shopify's captured pixel events as text/plain with CORS, and never reveals profile data", async () => {
    const shop = randomShop();
    const { pixelKey } = await installShop(database(), shop);
    const files = ["valmi__product_added_to_cart.json", "valmi__cart_viewed.json", "valmi__product_viewed.json", "valmi__product_removed_from_cart.json"];
    const events = files.map((f) => JSON.parse(fixture(`web-pixel-events/${f}`)));
    const response = await call(collectAction, runtime, collectRequest({ shop, pixelKey, events }));
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.body.results?.map((r) => r.status)).toEqual(["accepted", "accepted", "ignored", "accepted"]);
    expect(JSON.stringify(response.body)).not.toMatch(/44843037917398|profile/);
    const profileId = await findProfileId(database().db, shop, "clientId", "1fd529f6-8f05-4118-ba6b-a4e20691aa0c");
    const state = await loadProfileState(database().db, shop, profileId!);
    // The add (04:54) is reconciled by the later cart_viewed snapshot (2 + 1), not added on top.
    expect(state?.cart.map((l) => [l.variantId, l.quantity])).toEqual([["44843038015702", 1], ["44843037917398", 2]]);

    const wrongKey = await call(collectAction, runtime, collectRequest({ shop, pixelKey: "cbp_nope", events }));
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.headers.get("access-control-allow-origin")).toBe("*");
    const preflight = (await collectAction(routeArgs(runtime, new Request("https://cartback.example.com/collect", { method: "OPTIONS" })) as Parameters<typeof collectAction>[0])) as Response;
    expect(preflight.status).toBe(204);
  });

  it("ignores events while cart tracking is off and stores nothing", async () => {
    const shop = randomShop();
    const { apiKey } = await installShop(database(), shop, { cartTrackingEnabled: false });
    const response = await call(apiAction, runtime, apiRequest(apiKey, { events: [{ id: "a", name: "Added to Cart", occurredAt: at(0), clientId: "b", variantId: "1" }] }));
    expect(response.status).toBe(200);
    expect(response.body.results?.[0]).toMatchObject({ status: "ignored", reason: "cart tracking is off for this shop" });
    expect(await eventCount(runtime, shop)).toBe(0);
    expect(await database().db.select().from(profiles).where(eq(profiles.shop, shop))).toEqual([]);
  });
});
