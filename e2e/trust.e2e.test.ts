import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eShop, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";

// Issue 13, finding 1: the pixel key is public, and anything a browser sends can be forged.
// On df699bc, 8 requests to /collect naming 2,000 addresses with "subscribed" consent got
// every one of them emailed. A browser may move carts; only Shopify-signed data or the
// merchant's secret key make an address mailable.
const DELAY_MS = 2_000;

describe.each(availableDatabases())("a forged storefront cannot make the shop mail strangers, on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "2s" } });
  });
  afterAll(() => shop?.stop());

  const at = () => new Date().toISOString();
  const forged = (variantId: string, price: string, n: number) => {
    const clientId = `spam-${randomUUID()}`;
    const email = `stranger.${n}.${randomUUID().slice(0, 6)}@example.com`;
    return [
      { id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId, variantId, quantity: 1, price, currency: "USD" },
      { id: randomUUID(), name: "Identify", occurredAt: at(), clientId, email, firstName: "Claim your prize", marketingConsent: "subscribed", via: "form" },
    ];
  };
  const post = async (path: string, body: object, init: RequestInit = {}) => {
    const response = await fetch(path.startsWith("http") ? path : `${shop.app.url}${path}`, { method: "POST", body: JSON.stringify(body), ...init });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as { accepted: number; queued?: number };
  };

  it("sends nothing to addresses that only /collect or the app proxy body named; the same cart mails once Shopify vouches", async () => {
    const [beanie] = shop.variants;
    // 8 requests x 125 shoppers through /collect, 2 x 125 through the (signed) app proxy with a forged body.
    for (let r = 0; r < 8; r++) {
      const events = Array.from({ length: 125 }, (_, i) => forged(beanie!.id, beanie!.price, r * 125 + i)).flat();
      const summary = await post("/collect", { shop: shop.app.shop, pixelKey: shop.pixelKey, events }, { headers: { "content-type": "text/plain" } });
      // 250 events a request: past the burst rate the later ones are answered queued (stored, applied by the worker).
      expect(summary.accepted + (summary.queued ?? 0)).toBe(250);
    }
    for (let r = 0; r < 2; r++) {
      const events = Array.from({ length: 125 }, (_, i) => forged(beanie!.id, beanie!.price, 1000 + r * 125 + i)).flat();
      await post(shop.app.proxyUrl("events"), { events }, { headers: { "content-type": "application/json" } });
    }

    // A real shopper whose address a browser named first: the API (secret key) vouches for it later.
    const real = { clientId: `c-${randomUUID()}`, email: `ana.${randomUUID().slice(0, 8)}@example.com` };
    await post("/collect", { shop: shop.app.shop, pixelKey: shop.pixelKey, events: forged(beanie!.id, beanie!.price, 0).map((e) => ({ ...e, clientId: real.clientId, ...(e.name === "Identify" ? { email: real.email } : {}) })) }, { headers: { "content-type": "text/plain" } });
    await post("/api/v1/events", { events: [{ id: randomUUID(), name: "Identify", occurredAt: at(), email: real.email, marketingConsent: "subscribed", via: "api" }] }, {
      headers: { authorization: `Bearer ${shop.apiKey}`, "content-type": "application/json" },
    });

    // The vouched-for shopper's cart (added through the browser under the same address) is mailed...
    const mail = await waitForMailTo(shop, real.email);
    expect(mail.subject ?? "").not.toContain("Claim your prize");
    // ...and after several delays, nobody else was.
    await sleep(DELAY_MS * 4);
    const strangers = shop.app.mail.messages.filter((m) => JSON.stringify(m.to ?? "").includes("stranger."));
    expect(strangers.length).toBe(0);
    expect(shop.app.mail.messages.length).toBe(1);
  });
});
