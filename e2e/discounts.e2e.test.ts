import { availableDatabases, type WebhookDelivery } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickTargets } from "../app/server/revenue/testing.ts";
import { deliverWebhook, type E2eShop, profileText, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { cartPayload, checkoutPayload, type Line, orderPayload, type Shopper, newCartToken, subscribedShopper } from "./support/webhooks.ts";

// Discount codes from outside, on the app as npm start runs it: the merchant puts a 10 % code
// on the step (Campaigns page form), a cart is abandoned, the email carries its own code, the
// local Admin API holds that code with the inputs Shopify needs, the restore link lands on
// Shopify's /discount/<code>?redirect=/cart/… and an order using the code is attributed. When
// Shopify refuses the code (userErrors) or the scope is missing, the email still goes out,
// without a code, and the shopper's timeline says why.

const CODE = /\bCB-[A-Z2-9]{10}\b/;

describe.each(availableDatabases())("discount codes on %s", (database) => {
  let shop: E2eShop;
  let campaignId: string;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
    shop.app.shopify!.state.grantedScopes.push("write_discounts");
    campaignId = /name="id" value="([^"]+)"/.exec((await shop.merchant.get("/app/campaigns")).html)![1]!;
  });
  afterAll(() => shop?.stop());

  const deliver = (delivery: WebhookDelivery) => deliverWebhook(shop, delivery);
  const shopper = subscribedShopper;
  const now = () => new Date().toISOString();
  const token = newCartToken;
  const abandon = async (who: Shopper, lines: Line[]) => {
    const cart = token();
    await deliver({ topic: "carts/create", raw: cartPayload(cart, now(), now(), lines) });
    await deliver({ topic: "checkouts/create", raw: checkoutPayload(`k${cart}`, cart, now(), who, lines) });
    return String((await waitForMailTo(shop, who.email)).html);
  };
  /** The email's restore link (through /r/), followed without the browser: where it lands. */
  const landing = async (html: string) => {
    const links = [...html.matchAll(/href="[^"]*(\/r\/[\w-]+\.[\w-]+)"/g)].map((m) => `${shop.app.url}${m[1]}`);
    const link = links.find((href) => /\/cart\/\d+:/.test(clickTargets(`href="${href}"`)[0] ?? ""));
    expect(link, "the restore link goes through the click redirect").toBeDefined();
    const followed = await fetch(link!, { redirect: "manual" });
    expect(followed.status).toBe(302);
    return new URL(followed.headers.get("location")!);
  };
  const saveDiscount = (fields: Record<string, string>) =>
    shop.merchant.submit("/app/campaigns", { intent: "discount", id: campaignId, step: "0", "discount-days": "7", "discount-once": "on", ...fields });

  it("refuses a bad discount naming the field, then saves a 10 % code on the step and reads it back", async () => {
    const bad = await saveDiscount({ "discount-kind": "percentage", "discount-value": "150" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("steps.0.discount.value");
    const saved = await saveDiscount({ "discount-kind": "percentage", "discount-value": "10" });
    expect(saved.status).toBe(200);
    const page = (await shop.merchant.get("/app/campaigns")).html;
    const input = (name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(page)?.[0] ?? "";
    expect(input("discount-value")).toContain('value="10"');
    expect(input("discount-days")).toContain('value="7"');
    expect(page).toMatch(/<select[^>]*name="discount-kind"[\s\S]*?<option value="percentage" selected/);
    // Saving the campaign's other settings keeps the step's discount.
    await shop.merchant.configureCampaign({ steps: "3s" });
    expect((await shop.merchant.get("/app/campaigns")).html).toMatch(/<option value="percentage" selected/);
  });

  it("mails a unique code Shopify holds, lands the restore link on /discount/<code> and credits the order that uses it", async () => {
    const [beanie, socks] = shop.variants;
    const ana = shopper("ana", 94_000_001);
    const lines: Line[] = [{ variant: beanie!, quantity: 2 }, { variant: socks!, quantity: 1 }];
    const html = await abandon(ana, lines);
    const code = CODE.exec(html)?.[0];
    expect(code, "the email shows its code").toBeDefined();
    expect(html).toContain(`10% off with code <strong>${code}</strong>`);

    const held = shop.app.shopify!.state.discounts.filter((d) => d.code === code);
    expect(held).toHaveLength(1);
    const input = held[0]!.input as { title: string; startsAt: string; endsAt: string; usageLimit: number; appliesOncePerCustomer: boolean; customerGets: unknown; context: unknown };
    expect(input.customerGets).toEqual({ value: { percentage: 0.1 }, items: { all: true } });
    expect(input.context).toEqual({ all: "ALL" });
    expect(input.usageLimit).toBe(1);
    expect(input.appliesOncePerCustomer).toBe(true);
    expect(Date.parse(input.endsAt) - Date.parse(input.startsAt)).toBe(7 * 24 * 3600_000);

    // The shopper's timeline names the code the email carried.
    expect(await profileText(shop, ana.email)).toContain(`discount code ${code}`);

    const lands = await landing(html);
    expect(lands.pathname).toBe(`/discount/${code}`);
    const redirect = new URL(lands.searchParams.get("redirect")!, lands.origin);
    expect(redirect.origin).toBe(lands.origin);
    expect(redirect.pathname).toBe(`/cart/${beanie!.id}:2,${socks!.id}:1`);

    // A friend orders with Ana's code (no token, no click of theirs): only the code credits it.
    const friend = shopper("friend", 94_000_009);
    const order = JSON.parse(orderPayload(String(Date.now()), token(), `k${token()}`, now(), friend, lines)) as Record<string, unknown>;
    order.discount_codes = [{ code: code!.toLowerCase(), amount: "3.00", type: "percentage" }];
    await deliver({ topic: "orders/create", raw: JSON.stringify(order) });
    const results = (await shop.merchant.get("/app/results?days=7")).html;
    expect(/data-figure="orders">([^<]*)</.exec(results)?.[1]).toBe("1");
  });

  it("sends the email without a code when Shopify answers userErrors or the scope is missing, and says why", async () => {
    const [, , mug] = shop.variants;
    const state = shop.app.shopify!.state;
    state.discountFaults = { userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code is invalid", code: "INVALID", extraInfo: null }] };
    const ben = shopper("ben", 94_000_002);
    const before = state.discounts.length;
    const html = await abandon(ben, [{ variant: mug!, quantity: 1 }]);
    state.discountFaults = {};
    expect(html).not.toMatch(CODE);
    expect(html).not.toContain("with code");
    expect(state.discounts).toHaveLength(before);
    expect((await landing(html)).pathname).toBe(`/cart/${mug!.id}:1`);
    const timeline = await profileText(shop, ben.email);
    expect(timeline).toContain("discount_not_attached");
    expect(timeline).toContain("Code is invalid");

    state.grantedScopes.splice(state.grantedScopes.indexOf("write_discounts"), 1);
    const cy = shopper("cy", 94_000_003);
    const second = await abandon(cy, [{ variant: mug!, quantity: 2 }]);
    expect(second).not.toMatch(CODE);
    expect(await profileText(shop, cy.email)).toContain("write_discounts");
    // The Campaigns page says the latest email went out without its code, and why.
    expect((await shop.merchant.get("/app/campaigns")).html).toContain("An email went out without its code");
    state.grantedScopes.push("write_discounts");
  });
});
