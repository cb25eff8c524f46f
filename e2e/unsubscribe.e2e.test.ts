import { randomUUID } from "node:crypto";
import { availableDatabases } from "@cartback/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eShop, postEvents, profilePage, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";

// One-click unsubscribe as a mail client does it (RFC 8058): the List-Unsubscribe URL of the
// email the shopper received, POSTed with List-Unsubscribe=One-Click. After it the shopper's next
// cart is not mailed, the skip says why, and the merchant sees it on the profile.
const DELAY_MS = 3_000;

describe.each(availableDatabases())("one-click unsubscribe on %s", (database) => {
  let shop: E2eShop;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
  });
  afterAll(() => shop?.stop());

  const at = () => new Date().toISOString();
  const add = (clientId: string, variantId: string, price: string) => ({ id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId, variantId, quantity: 1, price, currency: "USD" });

  /** The admin's profile page of this shopper, as text. */
  async function profileOf(email: string): Promise<string> {
    const page = await profilePage(shop, email);
    if (page === null) throw new Error(`no profile found for ${email}`);
    return page;
  }

  it("stops the shopper's cart emails from the email's own List-Unsubscribe, and the profile says so", { timeout: 90_000 }, async () => {
    const [first, second] = shop.variants;
    const shopper = { clientId: `c-${randomUUID()}`, email: `una.${randomUUID().slice(0, 8)}@example.com` };
    await postEvents(shop, [add(shopper.clientId, first!.id, first!.price), { id: randomUUID(), name: "Identify", occurredAt: at(), clientId: shopper.clientId, email: shopper.email, marketingConsent: "subscribed", via: "form" }]);
    const mail = await waitForMailTo(shop, shopper.email);

    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.replace(/^[^:]+:\s*/, "").replace(/\r?\n\s+/g, " ");
    expect(header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    const url = /<(https?:\/\/[^>]+)>/.exec(header("list-unsubscribe") ?? "")?.[1];
    expect(url, header("list-unsubscribe")).toBeTruthy();
    const local = url!.replace(/^https?:\/\/[^/]+/, shop.app.url);

    // A mail scanner's GET changes nothing; the page names the store.
    const confirm = await fetch(local, { headers: { Accept: "text/html" } });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain("Cartback Fake Shop");
    expect(await profileOf(shopper.email)).not.toContain("No cart emails");

    const oneClick = await fetch(local, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(oneClick.status).toBe(200);
    const unsubscribed = await profileOf(shopper.email);
    expect(unsubscribed).toContain(`No cart emails to ${shopper.email}: unsubscribed through an email's link`);
    const skips = (page: string) => (page.match(/suppressed/gi) ?? []).length;

    // The next cart addition opens a new episode; its due step is skipped, not sent.
    await postEvents(shop, [add(shopper.clientId, second!.id, second!.price)]);
    await sleep(DELAY_MS + 5_000);
    expect(shop.app.mail.to(shopper.email)).toHaveLength(1);
    expect(skips(await profileOf(shopper.email)), "a skip on the timeline saying the address is suppressed").toBeGreaterThan(skips(unsubscribed));
  });
});
