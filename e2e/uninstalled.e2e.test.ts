import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eShop, profileText, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { cartPayload, checkoutPayload, type Line, orderPayload, type Shopper } from "./support/webhooks.ts";

// Issue 15: app/uninstalled stops every send of that shop at once. Signed webhooks only, the
// app as npm start runs it, mail through its SMTP server.
const DELAY_MS = 3_000;

describe.each(availableDatabases())("app/uninstalled on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  const deliver = async (topic: string, raw: string) => {
    const response = await shop.app.webhook({ topic, raw, webhookId: randomUUID() });
    expect(response.status, `${topic}: ${await response.clone().text()}`).toBeLessThan(300);
  };
  const abandon = async (name: string, customerId: number) => {
    const shopper: Shopper = { customerId, email: `${name}.${randomUUID().slice(0, 8)}@example.com`, consent: "subscribed" };
    const cart = `c${randomUUID().replaceAll("-", "")}`;
    const lines: Line[] = [{ variant: shop.variants[0]!, quantity: 1 }];
    const at = new Date().toISOString();
    await deliver("carts/create", cartPayload(cart, at, at, lines));
    await deliver("checkouts/create", checkoutPayload(`k${cart}`, cart, at, shopper, lines));
    return { ...shopper, cart, lines };
  };

  it("records an episode ended by a purchase before the due time on the shopper's profile", async () => {
    const buyer = await abandon("cy", 95_000_003);
    const abandonedAt = Date.now();
    await deliver("orders/create", orderPayload(String(abandonedAt), buyer.cart, `k${buyer.cart}`, new Date().toISOString(), buyer, buyer.lines));
    await sleep(Math.max(0, abandonedAt + DELAY_MS + 3_000 - Date.now()));
    expect(shop.app.mail.to(buyer.email)).toHaveLength(0);
    // orders/create reaches ingest as the cart emptied and Charged: whichever ends the episode first is the reason.
    await expect.poll(() => profileText(shop, buyer.email), { timeout: 10_000 }).toMatch(/Step 1: closed (purchased|cart_emptied) · ended at ingest/);
  });

  it("sends no due email once the shop uninstalled, and says why on the shopper's profile", async () => {
    // While installed, an abandoned cart is emailed: the path works.
    const before = await abandon("ana", 95_000_001);
    await waitForMailTo(shop, before.email);

    // Bo abandons, then the merchant uninstalls before Bo's email is due.
    const after = await abandon("bo", 95_000_002);
    const abandonedAt = Date.now();
    await deliver("app/uninstalled", JSON.stringify({ id: 1, name: "E2E Outfitters", myshopify_domain: shop.app.shop, domain: shop.app.shop }));
    await sleep(Math.max(0, abandonedAt + DELAY_MS + 4_000 - Date.now()));

    expect(shop.app.mail.to(after.email)).toHaveLength(0);
    expect(shop.app.mail.to(before.email)).toHaveLength(1);
    await expect.poll(() => profileText(shop, after.email), { timeout: 10_000 }).toContain("shop_uninstalled");
  });
});
