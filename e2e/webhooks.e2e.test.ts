import { randomUUID } from "node:crypto";
import { availableDatabases, type WebhookDelivery } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectCartEmail } from "./support/email.ts";
import { type E2eShop, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { cartPayload, checkoutPayload, type Line, orderPayload, type Shopper } from "./support/webhooks.ts";

// Source (c): Shopify's signed webhooks alone — carts/create|update, checkouts/create,
// orders/create — delivered the way Shopify does: retried under the same webhook id, sent
// again under a new id (the other topic of the pair), out of order, and late.
const DELAY_MS = 3_000;

describe.each(availableDatabases())("webhook journey on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  /** Delivers and expects Shopify's 2xx (anything else would make Shopify retry). */
  const deliver = async (delivery: WebhookDelivery) => {
    const response = await shop.app.webhook(delivery);
    expect(response.status, `${delivery.topic}: ${await response.clone().text()}`).toBeLessThan(300);
    return delivery;
  };
  const shopper = (name: string, customerId: number): Shopper => ({ customerId, email: `${name}.${randomUUID().slice(0, 8)}@example.com`, consent: "subscribed" });
  const iso = (ms: number) => new Date(ms).toISOString();

  it("emails the abandoned cart once whatever the retries, duplicates and late snapshots; nothing to a shopper whose order came before the due time", async () => {
    const [beanie, , , , mug, jacket] = shop.variants;
    const ana = shopper("ana", 91_000_001);
    const ben = shopper("ben", 91_000_002);
    const anaCart = `c1${randomUUID().replaceAll("-", "")}`;
    const benCart = `c2${randomUUID().replaceAll("-", "")}`;
    const t0 = Date.now();
    const first: Line[] = [{ variant: beanie!, quantity: 1 }];
    const final: Line[] = [{ variant: beanie!, quantity: 2 }, { variant: jacket!, quantity: 1 }];

    // Ana: the update arrives before the create (out of order); each is retried with its id and
    // re-sent under a new id as the other topic; then checkouts/create names her, twice.
    const update = await deliver({ topic: "carts/update", raw: cartPayload(anaCart, iso(t0 - 2_000), iso(t0), final), webhookId: randomUUID() });
    const create = await deliver({ topic: "carts/create", raw: cartPayload(anaCart, iso(t0 - 2_000), iso(t0 - 2_000), first), webhookId: randomUUID() });
    await deliver(update);
    await deliver({ ...update, topic: "carts/create", webhookId: randomUUID() });
    await deliver(create);
    const checkout = await deliver({ topic: "checkouts/create", raw: checkoutPayload(`k1${anaCart}`, anaCart, iso(t0), ana, final), webhookId: randomUUID() });
    await deliver(checkout);

    // Ben: cart, checkout and the order a second later (orders/paid repeats the same order).
    const benLines: Line[] = [{ variant: mug!, quantity: 1 }];
    await deliver({ topic: "carts/create", raw: cartPayload(benCart, iso(t0), iso(t0), benLines) });
    await deliver({ topic: "checkouts/create", raw: checkoutPayload(`k2${benCart}`, benCart, iso(t0), ben, benLines) });
    const benStarted = Date.now();
    await sleep(1_000);
    const order = orderPayload(String(t0), benCart, `k2${benCart}`, iso(Date.now()), ben, benLines);
    await deliver({ topic: "orders/create", raw: order });
    await deliver({ topic: "orders/paid", raw: order });

    const mail = await waitForMailTo(shop, ana.email);
    expectCartEmail(mail, final, shop.variants);
    const mailedAt = Date.now();

    // After the email: a retry of an old delivery, the older snapshot under a new id, and a
    // snapshot of the same cart the email showed, dated before the email but delivered late.
    await deliver(update);
    await deliver({ ...create, webhookId: randomUUID() });
    await deliver({ topic: "carts/update", raw: cartPayload(anaCart, iso(t0 - 2_000), iso(mailedAt - 500), final) });
    await deliver({ ...checkout, webhookId: randomUUID(), topic: "checkouts/update" });

    await sleep(Math.max(0, Math.max(benStarted, mailedAt) + DELAY_MS + 3_000 - Date.now()));
    expect(shop.app.mail.to(ben.email)).toHaveLength(0);
    expect(shop.app.mail.to(ana.email)).toHaveLength(1);
  });
});
