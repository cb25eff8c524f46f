import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCartEmail } from "./support/email.ts";
import { type E2eShop, postEvents, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";

// Source (a): a custom source posts to POST /api/v1/events with the key the merchant created.
const DELAY_MS = 3_000;

describe.each(availableDatabases())("events API journey on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  const at = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();
  const add = (clientId: string, variantId: string, quantity: number, price: string) => ({
    id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId, variantId, quantity, price, currency: "USD",
  });
  const identify = (clientId: string, email: string) => ({
    id: randomUUID(), name: "Identify", occurredAt: at(), clientId, email, marketingConsent: "subscribed", via: "form",
  });

  it("emails the abandoned cart once, with its products, and nothing to a shopper who bought before the due time", async () => {
    const [beanie, tote, socks] = shop.variants;
    const abandoner = { clientId: `c-${randomUUID()}`, email: `ana.${randomUUID().slice(0, 8)}@example.com` };
    const buyer = { clientId: `c-${randomUUID()}`, email: `ben.${randomUUID().slice(0, 8)}@example.com` };

    await postEvents(shop, [add(abandoner.clientId, beanie!.id, 1, beanie!.price), add(abandoner.clientId, socks!.id, 2, socks!.price), identify(abandoner.clientId, abandoner.email)]);
    await postEvents(shop, [add(buyer.clientId, tote!.id, 1, tote!.price), identify(buyer.clientId, buyer.email)]);
    const buyerStarted = Date.now();
    await sleep(1_000);
    // The same add retried by the source (same id) changes nothing.
    await postEvents(shop, [{ id: randomUUID(), name: "Charged", occurredAt: at(), clientId: buyer.clientId, email: buyer.email, orderId: String(Date.now()), lines: [{ variantId: tote!.id, quantity: 1, price: tote!.price }], currency: "USD" }]);

    const mail = await waitForMailTo(shop, abandoner.email);
    expectCartEmail(mail, [{ variant: beanie!, quantity: 1 }, { variant: socks!, quantity: 2 }], shop.variants);

    await sleep(Math.max(0, buyerStarted + DELAY_MS + 3_000 - Date.now()));
    expect(shop.app.mail.to(buyer.email)).toHaveLength(0);
    expect(shop.app.mail.to(abandoner.email)).toHaveLength(1);
  });
});
