import { randomUUID } from "node:crypto";
import { shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { type FakeShopifyAdmin, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { eq } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { action as shopUpdate } from "../../routes/webhooks.shop.update.ts";
import { loadShopContext } from "../campaigns/shop-context.ts";
import { saveShopSettings } from "../settings/shop-settings.ts";
import { signWebhook } from "../shopify/webhooks.ts";
import { createTestRuntime, fakeAdminEnv, routeArgs } from "../testing.ts";
import { recordInstall } from "./install.ts";
import { refreshShopFacts, startShopFactsRefresh } from "./refresh.ts";

const BERLIN = {
  name: "Berliner Bretter",
  currencyCode: "EUR",
  ianaTimezone: "Europe/Berlin",
  moneyFormat: "{{amount_with_comma_separator}} €",
  moneyWithCurrencyFormat: "{{amount_with_comma_separator}} € EUR",
  contactEmail: "hallo@bretter.example",
};
const SECRET = "s";

/** shop/update as Shopify sends it: the REST Shop resource, signed with the app secret. */
function shopUpdateRequest(shop: string, body: Record<string, unknown>, secret = SECRET) {
  const raw = JSON.stringify(body);
  return new Request("http://localhost/webhooks/shop/update", {
    method: "POST",
    body: raw,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "shop/update",
      "x-shopify-shop-domain": shop,
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-hmac-sha256": signWebhook(raw, secret),
    },
  });
}

const restShop = (overrides: Record<string, unknown> = {}) => ({
  name: "Wiener Bretter", email: "owner@bretter.example", customer_email: "servus@bretter.example", currency: "EUR",
  iana_timezone: "Europe/Vienna", timezone: "(GMT+01:00) Europe/Vienna", money_format: "€{{amount_with_comma_separator}}",
  money_with_currency_format: "€{{amount_with_comma_separator}} EUR", updated_at: "2026-12-06T10:00:00+01:00", ...overrides,
});

let fake: FakeShopifyAdmin | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

describeEachDatabase("the shop's own settings from Shopify", (database) => {
  async function selfHosted(shopInfo: Partial<typeof BERLIN> = BERLIN) {
    const shop = randomShop("facts");
    fake = await startFakeShopifyAdmin({ shop, shopInfo });
    const runtime = createTestRuntime(database(), fakeAdminEnv(shop, fake));
    await recordInstall(database().db, shop);
    return { shop, runtime, fake };
  }

  it("reads EUR, Europe/Berlin, the money format, name and contact email on start (was USD/UTC)", async () => {
    const { shop, runtime } = await selfHosted();
    expect(await loadShopContext(database().db, shop)).toMatchObject({ currency: "USD", timezone: "UTC" });
    const refresher = startShopFactsRefresh(runtime);
    await refresher.firstRound;
    await refresher.stop();
    expect(await loadShopContext(database().db, shop)).toMatchObject({
      name: "Berliner Bretter", currency: "EUR", timezone: "Europe/Berlin", moneyFormat: "{{amount_with_comma_separator}} €",
      moneyWithCurrencyFormat: "{{amount_with_comma_separator}} € EUR", contactEmail: "hallo@bretter.example",
    });
  });

  it("keeps the last known values when a read fails, and retries until one succeeds", async () => {
    const { shop, runtime, fake } = await selfHosted();
    expect(await refreshShopFacts(runtime, shop)).toMatchObject({ type: "applied" });
    fake.state.shopInfo.currencyCode = "euro";
    const refresher = startShopFactsRefresh(runtime, { first: 20, max: 40, healthy: 60_000, configuredEvery: 0 });
    await refresher.firstRound;
    expect(await loadShopContext(database().db, shop)).toMatchObject({ currency: "EUR", timezone: "Europe/Berlin" });
    fake.state.shopInfo.currencyCode = "CHF";
    await expect.poll(async () => (await loadShopContext(database().db, shop)).currency, { timeout: 5_000 }).toBe("CHF");
    await refresher.stop();
    const unreachable = createTestRuntime(database(), fakeAdminEnv(shop, fake, { SHOPIFY_ADMIN_TOKEN: "shpat_revoked" }));
    expect(await refreshShopFacts(unreachable, shop)).toMatchObject({ type: "failed", reason: expect.stringContaining("401") });
    expect(await loadShopContext(database().db, shop)).toMatchObject({ currency: "CHF" });
  });

  it("follows the store's time zone unless the merchant chose another in Settings", async () => {
    const { shop, runtime, fake } = await selfHosted();
    await refreshShopFacts(runtime, shop);
    const sender = { fromName: null, fromAddress: null, replyTo: null };
    expect(await saveShopSettings(database().db, shop, { cartTrackingEnabled: true, timezone: "Europe/Paris", sender })).toEqual({ type: "saved" });
    fake.state.shopInfo.ianaTimezone = "Europe/Vienna";
    expect(await refreshShopFacts(runtime, shop)).toMatchObject({ type: "applied", timezoneFollowed: false });
    expect((await loadShopContext(database().db, shop)).timezone).toBe("Europe/Paris");
  });

  it("applies a signed shop/update, ignores an older delivery, and refuses a bad signature or field", async () => {
    const { shop, runtime } = await selfHosted();
    const send = async (body: Record<string, unknown>, secret?: string) => {
      const res = await shopUpdate(routeArgs(runtime, shopUpdateRequest(shop, body, secret)) as never);
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await send(restShop())).toEqual({ status: 200, body: { ok: true, result: "applied" } });
    expect(await loadShopContext(database().db, shop)).toMatchObject({
      name: "Wiener Bretter", currency: "EUR", timezone: "Europe/Vienna", moneyFormat: "€{{amount_with_comma_separator}}", contactEmail: "servus@bretter.example",
    });
    const older = await send(restShop({ currency: "USD", updated_at: "2026-12-06T08:00:00Z" }));
    expect(older.body).toEqual({ ok: true, result: "stale" });
    expect((await loadShopContext(database().db, shop)).currency).toBe("EUR");
    expect((await send(restShop(), "wrong-secret")).status).toBe(401);
    const bad = await send(restShop({ currency: "euro", updated_at: "2026-12-06T11:00:00Z" }));
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "currency" } } });
    const [row] = await database().db.select().from(shops).where(eq(shops.shop, shop));
    expect(row?.currency).toBe("EUR");
  });
});
