import { describe, expect, it } from "vitest";
import type { ShopContext } from "../campaigns/shop-context.ts";
import { clickTargets } from "./testing.ts";
import { trackEmailLinks } from "./track.ts";

// Only the fields link tracking reads matter here.
const shop = {
  shop: "hats.myshopify.com", name: "Hats", timezone: "UTC", currency: "USD", moneyFormat: "${{amount}}",
  moneyWithCurrencyFormat: null, contactEmail: null, sender: { fromName: null, fromAddress: null, replyTo: null },
} as ShopContext;
const permalink = "https://hats.myshopify.com/cart/11:2?storefront=true";
const html = (recovery: string) => `<a href="${recovery}">Back to cart</a> <a href="https://hats.myshopify.com/collections/all">Shop</a>`;

describe("trackEmailLinks", () => {
  it("sends the restore link and the shop's other links through the click redirect by default", () => {
    const t = trackEmailLinks({ appUrl: "https://app.test", secret: "s", shop, sendId: "send-1" });
    const out = t.html(html(t.recovery(permalink)));
    expect(out).not.toContain("hats.myshopify.com");
    expect(clickTargets(out)).toEqual([permalink, "https://hats.myshopify.com/collections/all"]);
  });

  it("leaves the other links alone when the shop turned click tracking off; the restore link stays tracked", () => {
    const t = trackEmailLinks({ appUrl: "https://app.test", secret: "s", shop: { ...shop, clickTracking: false }, sendId: "send-1" });
    const out = t.html(html(t.recovery(permalink)));
    expect(clickTargets(out)).toEqual([permalink]);
    expect(out).toContain('href="https://hats.myshopify.com/collections/all"');
  });
});
