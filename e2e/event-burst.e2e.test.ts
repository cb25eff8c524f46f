import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { E2eVariant } from "./support/catalog.ts";
import { expectCartEmail } from "./support/email.ts";
import { type E2eShop, startE2eShop, waitForMailTo } from "./support/shop.ts";

// A sale: many browsers at once. Above a burst rate (5 requests a second here, 50 by default)
// /collect and the events API answer once the events are stored in the event inbox
// ("queued"), and the worker's drain applies them in large batches. Everything acknowledged is
// applied, /healthz shows the backlog until it is, and the abandoned cart still gets its email.

interface Summary {
  accepted: number;
  queued?: number;
  rejected: number;
  ignored: number;
  results: { status: string }[];
}

describe.each(availableDatabases())("a burst of storefront events on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" }, env: { CARTBACK_EVENT_BURST: "5" } });
  });
  afterAll(() => shop?.stop());

  const pixelAdd = (clientId: string, v: E2eVariant) => ({
    id: `sh-${randomUUID()}`,
    name: "product_added_to_cart",
    timestamp: new Date().toISOString(),
    clientId,
    data: { cartLine: { quantity: 1, merchandise: { id: v.id, title: "Default Title", price: { amount: Number(v.price), currencyCode: "USD" }, product: { id: "1", title: v.productTitle } } } },
  });
  const post = async (path: string, headers: Record<string, string>, body: object): Promise<Summary> => {
    const response = await fetch(`${shop.app.url}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
    const text = await response.text();
    expect(response.status, text.slice(0, 300)).toBe(200);
    return JSON.parse(text) as Summary;
  };
  const collect = (events: object[]) => post("/collect", { "content-type": "text/plain" }, { shop: shop.app.shop, pixelKey: shop.pixelKey, events });
  const api = (events: object[]) => post("/api/v1/events", { authorization: `Bearer ${shop.apiKey}`, "content-type": "application/json" }, { events });

  it("acknowledges a burst of /collect and batched events as queued, applies every one, and emails the abandoned cart", async () => {
    const [beanie, tote, socks] = shop.variants;
    const ana = { clientId: `c-${randomUUID()}`, email: `ana.${randomUUID().slice(0, 8)}@example.com` };
    const at = () => new Date().toISOString();
    const browsers = Array.from({ length: 80 }, (_, i) => `burst-${i}-${randomUUID().slice(0, 8)}`);
    const batches = Array.from({ length: 4 }, (_, b) =>
      Array.from({ length: 25 }, (_, i) => ({ id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId: `api-${b}-${i}-${randomUUID().slice(0, 6)}`, variantId: tote!.id, quantity: 1, price: tote!.price, currency: "USD" })),
    );
    const anaEvents = [
      { id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId: ana.clientId, variantId: beanie!.id, quantity: 1, price: beanie!.price, currency: "USD" },
      { id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId: ana.clientId, variantId: socks!.id, quantity: 2, price: socks!.price, currency: "USD" },
      { id: randomUUID(), name: "Identify", occurredAt: at(), clientId: ana.clientId, email: ana.email, marketingConsent: "subscribed", via: "form" },
    ];

    const answers = await Promise.all([...browsers.map((b) => collect([pixelAdd(b, tote!)])), ...batches.map((events) => api(events)), api(anaEvents)]);
    for (const answer of answers) expect(answer).toMatchObject({ rejected: 0, ignored: 0 });
    // Every event is acknowledged one way or the other; in the burst, most are queued.
    const statuses = answers.flatMap((a) => a.results.map((r) => r.status));
    expect(statuses.length).toBe(80 + 100 + 3);
    expect(statuses.every((s) => s === "accepted" || s === "queued")).toBe(true);
    expect(statuses.filter((s) => s === "queued").length).toBeGreaterThan(90);

    // /healthz shows the backlog until the drain has applied it.
    let backlog = -1;
    for (let i = 0; i < 300 && backlog !== 0; i++) {
      const health = (await (await fetch(`${shop.app.url}/healthz`)).json()) as { eventInbox?: { waiting: number } };
      backlog = health.eventInbox?.waiting ?? -1;
      if (backlog !== 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(backlog).toBe(0);

    // Applied: each burst browser's cart is in its profile (read back through the admin).
    const profiles = await shop.merchant.get(`/app/profiles?q=${encodeURIComponent(browsers[7]!)}`);
    expect(profiles.html).toMatch(/href="\/app\/profiles\/[^"?]+"/);

    const mail = await waitForMailTo(shop, ana.email);
    expectCartEmail(mail, [{ variant: beanie!, quantity: 1 }, { variant: socks!, quantity: 2 }], shop.variants);
    expect(shop.app.mail.to(ana.email)).toHaveLength(1);
  });
});
