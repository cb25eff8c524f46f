import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { E2eVariant } from "./support/catalog.ts";
import { expectCartEmail } from "./support/email.ts";
import { type E2eShop, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { checkoutPayload } from "./support/webhooks.ts";

// Source (b): the web pixel (or the custom pixel a self-hosted shop pastes) posts Shopify's
// standard events, unchanged, to POST /collect with the shop's pixel key from the Dashboard.
// A browser can be forged, so the email it names is never mailed on its own word: Shopify's
// signed checkouts/create (same checkout token) vouches for the address, as in a real store.
const DELAY_MS = 3_000;

describe.each(availableDatabases())("web pixel journey on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  const base = (name: string, clientId: string) => ({ id: `sh-${randomUUID()}`, name, timestamp: new Date().toISOString(), clientId });
  const merchandise = (v: E2eVariant) => ({
    id: v.id, title: "Default Title", sku: null, price: { amount: Number(v.price), currencyCode: "USD" },
    image: { src: v.imageUrl }, product: { id: "1", title: v.productTitle, url: "/products/x" },
  });
  const added = (clientId: string, v: E2eVariant, quantity: number) => ({ ...base("product_added_to_cart", clientId), data: { cartLine: { merchandise: merchandise(v), quantity } } });
  const checkout = (name: string, clientId: string, token: string, email: string, lines: Array<[E2eVariant, number]>, orderId?: string) => ({
    ...base(name, clientId),
    data: {
      checkout: {
        token, email, currencyCode: "USD", totalPrice: { amount: lines.reduce((n, [v, q]) => n + Number(v.price) * q, 0) },
        lineItems: lines.map(([v, quantity]) => ({ quantity, variant: merchandise(v) })),
        ...(orderId ? { order: { id: orderId } } : {}),
      },
    },
  });
  const collect = async (events: object[]) => {
    const response = await fetch(`${shop.app.url}/collect`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ shop: shop.app.shop, pixelKey: shop.pixelKey, events }),
    });
    const body = (await response.json()) as { accepted: number; rejected: number; ignored: number };
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ rejected: 0, ignored: 0 });
  };

  it("emails the abandoned cart once, with its products, and nothing to a shopper who completed checkout before the due time", async () => {
    const [, tote, socks, , mug] = shop.variants;
    const ana = { clientId: randomUUID(), email: `ana.${randomUUID().slice(0, 8)}@example.com`, token: `ck${randomUUID().replaceAll("-", "")}` };
    const ben = { clientId: randomUUID(), email: `ben.${randomUUID().slice(0, 8)}@example.com`, token: `ck${randomUUID().replaceAll("-", "")}` };
    const vouch = (who: typeof ana, customerId: number, lines: Array<[E2eVariant, number]>) =>
      shop.app.webhook({
        topic: "checkouts/create",
        raw: checkoutPayload(who.token, `cart-${who.clientId}`, new Date().toISOString(), { customerId, email: who.email, consent: "subscribed" }, lines.map(([variant, quantity]) => ({ variant, quantity }))),
      });

    await collect([added(ana.clientId, tote!, 1), added(ana.clientId, mug!, 3)]);
    await collect([checkout("checkout_started", ana.clientId, ana.token, ana.email, [[tote!, 1], [mug!, 3]])]);
    expect((await vouch(ana, 81_000_001, [[tote!, 1], [mug!, 3]])).status).toBe(200);
    await collect([added(ben.clientId, socks!, 1), checkout("checkout_started", ben.clientId, ben.token, ben.email, [[socks!, 1]])]);
    expect((await vouch(ben, 81_000_002, [[socks!, 1]])).status).toBe(200);
    const benStarted = Date.now();
    await sleep(1_000);
    await collect([checkout("checkout_completed", ben.clientId, ben.token, ben.email, [[socks!, 1]], String(Date.now()))]);

    const mail = await waitForMailTo(shop, ana.email);
    expectCartEmail(mail, [{ variant: tote!, quantity: 1 }, { variant: mug!, quantity: 3 }], shop.variants);

    await sleep(Math.max(0, benStarted + DELAY_MS + 3_000 - Date.now()));
    expect(shop.app.mail.to(ben.email)).toHaveLength(0);
    expect(shop.app.mail.to(ana.email)).toHaveLength(1);
  });
});
