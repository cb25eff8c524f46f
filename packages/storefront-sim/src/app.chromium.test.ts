import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Database, openDatabase } from "@cartback/db";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installShop } from "../../../app/server/ingest/testing.ts";
import { findProfileId, loadProfileState } from "../../../app/server/profiles/repository.ts";
import { startTestServer, type TestServer } from "../../../app/server/testing-server.ts";
// @ts-expect-error: plain .mjs build script, no type declarations
import { buildSdk } from "../../sdk/scripts/build.mjs";
import { type RunningStorefront, startStorefront } from "./server.ts";
import { newProfileDir, openBrowser } from "./testing/chromium.ts";

/**
 * The whole storefront path with real parts: Chromium runs the built SDK on the simulator's
 * pages; the simulator signs and forwards /apps/cartback/events to the real app server
 * (/proxy/events) on PGlite; the profile the server keeps must match /cart.js.
 */
const PRODUCTS = path.resolve(import.meta.dirname, "../../../fixtures/shopify/generated/storefront-products.json");
const SECRET = "test-shopify-secret";
const SHOP = `sim-${Math.random().toString(36).slice(2, 8)}.myshopify.com`;
const CUSTOMER = { id: "7000000001", email: "shopper@example.com" };

let database: Database;
let app: TestServer;
let storefront: RunningStorefront;
let context: BrowserContext;
const buildDir = mkdtempSync(path.join(tmpdir(), "cartback-sdk-build-"));
const profileDir = newProfileDir();

beforeAll(async () => {
  database = await openDatabase({ memory: true });
  await installShop(database, SHOP, { currency: "INR" });
  app = await startTestServer({
    database,
    // A localhost app URL makes the server report the port it bound.
    env: { SHOPIFY_API_KEY: "test-key", SHOPIFY_API_SECRET: SECRET, SHOPIFY_APP_URL: "http://localhost:3000" },
  });
  const appUrl = app.url.replace("//localhost:", "//127.0.0.1:");
  const sdkFile = await buildSdk(path.join(buildDir, "cartback.js"));
  storefront = await startStorefront({ productsFile: PRODUCTS, shop: SHOP, currency: "INR", appUrl, appSecret: SECRET, sdkFile, customers: [CUSTOMER] });
  context = await openBrowser(profileDir);
});

afterAll(async () => {
  await context?.close();
  await storefront?.close();
  await app?.close();
  await database?.close();
  rmSync(buildDir, { recursive: true, force: true });
  rmSync(profileDir, { recursive: true, force: true });
});

type Lines = Record<string, number>;
type Theme = {
  add: (via: string, id: string, quantity: number) => Promise<unknown>;
  change: (via: string, target: object, quantity: number) => Promise<unknown>;
  update: (via: string, updates: object) => Promise<unknown>;
};

async function visit(url: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => "Cartback" in window && "theme" in window);
  return page;
}

async function cartJs(page: Page): Promise<{ token: string; lines: Lines }> {
  const cart = await page.evaluate(() => fetch("/cart.js").then((r) => r.json()));
  const items = cart.items as Array<{ variant_id: number; quantity: number }>;
  return { token: String(cart.token), lines: Object.fromEntries(items.map((i) => [String(i.variant_id), i.quantity])) };
}

/** The live cart the server keeps on the profile this cart token belongs to. */
async function serverCart(token: string): Promise<{ lines: Lines; customerId: string | null } | null> {
  const profileId = await findProfileId(database.db, SHOP, "cartToken", token);
  if (!profileId) return null;
  const state = await loadProfileState(database.db, SHOP, profileId);
  if (!state) return null;
  return { lines: Object.fromEntries(state.cart.map((l) => [l.variantId, l.quantity])), customerId: state.customerId };
}

async function expectServerMatches(page: Page): Promise<Lines> {
  const { token, lines } = await cartJs(page);
  await expect.poll(async () => (await serverCart(token))?.lines, { timeout: 20_000, interval: 200 }).toEqual(lines);
  return lines;
}

describe("storefront → app proxy → ingest, in Chromium", () => {
  it("keeps the server's profile cart equal to /cart.js through fetch, XHR and form mutations", async () => {
    const variants = storefront.catalog.products.flatMap((p) => p.variants.filter((v) => v.available).slice(0, 1).map((v) => ({ handle: p.handle, id: v.id })));
    const [a, b, c] = variants;
    let page = await visit(`${storefront.url}/products/${a!.handle}`);

    await page.evaluate((id) => (window as unknown as { theme: Theme }).theme.add("fetch", id, 1), a!.id);
    await expectServerMatches(page);
    await page.evaluate((id) => (window as unknown as { theme: Theme }).theme.add("xhr", id, 2), b!.id);
    await expectServerMatches(page);

    page = await visit(`${storefront.url}/products/${c!.handle}`);
    await Promise.all([page.waitForURL("**/cart"), page.click("#add-form")]);
    await page.waitForFunction(() => "Cartback" in window);
    await expectServerMatches(page);

    await page.evaluate(() => (window as unknown as { theme: Theme }).theme.change("xhr", { line: 1 }, 3));
    await expectServerMatches(page);
    await page.evaluate((id) => (window as unknown as { theme: Theme }).theme.change("fetch", { id }, 0), b!.id);
    const afterRemove = await expectServerMatches(page);
    expect(afterRemove[b!.id]).toBeUndefined();

    await Promise.all([page.waitForURL("**/cart"), page.click("#cart-table a")]);
    await page.waitForFunction(() => "Cartback" in window);
    await expectServerMatches(page);

    await page.evaluate((id) => (window as unknown as { theme: Theme }).theme.update("xhr", { [id]: 2 }), b!.id);
    const final = await expectServerMatches(page);
    expect(Object.keys(final).length).toBeGreaterThan(0);
  });

  it("attaches the logged-in customer from the signed proxy query to the shopper's profile", async () => {
    const variant = storefront.catalog.products[1]!.variants.find((v) => v.available)!;
    let page = await visit(`${storefront.url}/account/login?customer=${CUSTOMER.id}`);
    page = await visit(`${storefront.url}/products/${storefront.catalog.products[1]!.handle}`);
    await page.evaluate((id) => (window as unknown as { theme: Theme }).theme.add("fetch", id, 1), variant.id);
    const { token } = await cartJs(page);
    await expectServerMatches(page);
    await expect.poll(async () => (await serverCart(token))?.customerId, { timeout: 20_000 }).toBe(CUSTOMER.id);
  });
});
