import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type RunningStorefront, startStorefront } from "@cartback/storefront-sim";
import { availableDatabases, launchChromium } from "@cartback/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs build script, no type declarations
import { buildSdk } from "../packages/sdk/scripts/build.mjs";
import { writeStorefrontProducts } from "./support/catalog.ts";
import { expectCartEmail } from "./support/email.ts";
import { type E2eShop, sleep, startE2eShop, waitForMailTo } from "./support/shop.ts";
import { checkoutPayload, type Line, orderPayload, type Shopper } from "./support/webhooks.ts";

// Source (d): a storefront in Chromium runs the theme app embed's SDK, which reports the cart
// through Shopify's app proxy (the storefront simulator signs /apps/cartback/* to the app).
// The browser cannot vouch for an email; Shopify's checkouts/create for the same cart token does.
const DELAY_MS = 3_000;
const work = mkdtempSync(path.join(tmpdir(), "cartback-e2e-sf-"));
let browser: Browser;
let sdkFile: string;

beforeAll(async () => {
  [browser, sdkFile] = await Promise.all([launchChromium(), buildSdk(path.join(work, "cartback.js")) as Promise<string>]);
  writeStorefrontProducts(path.join(work, "products.json"));
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

type Theme = { add: (via: string, id: string, quantity: number) => Promise<unknown> };

describe.each(availableDatabases())("storefront journey in Chromium on %s", (database) => {
  let shop: E2eShop;
  let storefront: RunningStorefront;
  beforeAll(async () => {
    shop = await startE2eShop({ database, campaign: { steps: "3s" } });
    storefront = await startStorefront({ productsFile: path.join(work, "products.json"), shop: shop.app.shop, currency: "USD", appUrl: shop.app.url, appSecret: shop.app.secret, sdkFile });
  });
  afterAll(async () => {
    await storefront?.close();
    await shop?.stop();
  });

  const handleOf = (variantId: string) => storefront.catalog.variants.get(variantId)!.product.handle;
  async function shopperPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }
  async function addToCart(page: Page, variantId: string, quantity: number, via: "fetch" | "xhr") {
    await page.goto(`${storefront.url}/products/${handleOf(variantId)}`);
    await page.waitForFunction(() => "Cartback" in window && "theme" in window);
    await page.evaluate(([id, q, how]) => (window as unknown as { theme: Theme }).theme.add(how as string, id as string, q as number), [variantId, quantity, via] as const);
  }
  async function cartJs(page: Page): Promise<{ token: string; lines: Record<string, number> }> {
    const cart = await page.evaluate(() => fetch("/cart.js").then((r) => r.json()));
    const items = cart.items as Array<{ variant_id: number; quantity: number }>;
    return { token: String(cart.token), lines: Object.fromEntries(items.map((i) => [String(i.variant_id), i.quantity])) };
  }
  const checkout = (token: string, who: Shopper, lines: Line[]) =>
    shop.app.webhook({ topic: "checkouts/create", raw: checkoutPayload(`k${token}`, token, new Date().toISOString(), who, lines) });

  it("emails the cart the storefront holds, reported by the SDK through the signed app proxy, and nothing to a shopper who ordered before the due time", async () => {
    const [beanie, tote, socks, , mug] = shop.variants;
    const ana: Shopper = { customerId: 93_000_001, email: `ana.${randomUUID().slice(0, 8)}@example.com`, consent: "subscribed" };
    const ben: Shopper = { customerId: 93_000_002, email: `ben.${randomUUID().slice(0, 8)}@example.com`, consent: "subscribed" };

    const anaPage = await shopperPage();
    await addToCart(anaPage, beanie!.id, 1, "fetch");
    await addToCart(anaPage, tote!.id, 2, "xhr");
    const anaCart = await cartJs(anaPage);
    // She starts checkout (Shopify names her), then comes back and adds one more thing: only
    // the SDK reports that, so the email shows it only if the proxy path works.
    expect((await checkout(anaCart.token, ana, [{ variant: beanie!, quantity: 1 }, { variant: tote!, quantity: 2 }])).status).toBe(200);
    await addToCart(anaPage, mug!.id, 1, "fetch");
    const final = await cartJs(anaPage);
    expect(final.token).toBe(anaCart.token);

    const benPage = await shopperPage();
    await addToCart(benPage, socks!.id, 1, "fetch");
    const benCart = await cartJs(benPage);
    const benLines: Line[] = [{ variant: socks!, quantity: 1 }];
    expect((await checkout(benCart.token, ben, benLines)).status).toBe(200);
    const benStarted = Date.now();
    await sleep(1_000);
    const order = await shop.app.webhook({ topic: "orders/create", raw: orderPayload(String(Date.now()), benCart.token, `k${benCart.token}`, new Date().toISOString(), ben, benLines) });
    expect(order.status).toBe(200);

    const mail = await waitForMailTo(shop, ana.email);
    const expected = Object.entries(final.lines).map(([id, quantity]) => ({ variant: shop.variants.find((v) => v.id === id)!, quantity }));
    expect(expected.map((l) => l.variant.id).sort()).toEqual([beanie!.id, tote!.id, mug!.id].sort());
    expectCartEmail(mail, expected, shop.variants);

    await sleep(Math.max(0, benStarted + DELAY_MS + 3_000 - Date.now()));
    expect(shop.app.mail.to(ben.email)).toHaveLength(0);
    expect(shop.app.mail.to(ana.email)).toHaveLength(1);
    await anaPage.context().close();
    await benPage.context().close();
  });
});
