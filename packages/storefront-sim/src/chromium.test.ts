import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { WireEvent } from "@cartback/core/events/wire";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: plain .mjs build script, no type declarations
import { buildSdk } from "../../sdk/scripts/build.mjs";
import { type StorefrontOptions, startStorefront } from "./server.ts";
import { newProfileDir, openBrowser } from "./testing/chromium.ts";
import { type Received, startReceiver } from "./testing/receiver.ts";

const PRODUCTS = path.resolve(import.meta.dirname, "../../../fixtures/shopify/generated/storefront-products.json");
const SECRET = "shpss_test_proxy_secret";
const SHOP = "cartback-demo.myshopify.com";

let sdkFile = "";
const buildDir = mkdtempSync(path.join(tmpdir(), "cartback-sdk-build-"));
const cleanups: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  sdkFile = await buildSdk(path.join(buildDir, "cartback.js"));
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

async function setup(options: Partial<StorefrontOptions> = {}) {
  const receiver = await startReceiver(SECRET);
  const shop = await startStorefront({ productsFile: PRODUCTS, shop: SHOP, appUrl: receiver.url, appSecret: SECRET, sdkFile, currency: "INR", ...options });
  const profile = newProfileDir();
  cleanups.push(() => rmSync(profile, { recursive: true, force: true }), () => receiver.close(), () => shop.close());
  const variants = shop.catalog.products.flatMap((p) => p.variants.filter((v) => v.available).slice(0, 1).map((v) => ({ handle: p.handle, id: v.id })));
  return { receiver, shop, profile, variants };
}

async function open(profile: string): Promise<BrowserContext> {
  const context = await openBrowser(profile);
  cleanups.push(() => context.close().catch(() => undefined));
  return context;
}

async function visit(context: BrowserContext, url: string): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(url);
  await page.waitForFunction(() => "Cartback" in window && "theme" in window);
  return page;
}

type Lines = Record<string, number>;

async function cartJs(page: Page): Promise<Lines> {
  const cart = await page.evaluate(() => fetch("/cart.js").then((r) => r.json()));
  return Object.fromEntries((cart.items as Array<{ variant_id: number; quantity: number }>).map((i) => [String(i.variant_id), i.quantity]));
}

/** Waits until the SDK has read the cart as it now is (its remembered cart equals /cart.js). */
async function settled(page: Page): Promise<Lines> {
  const expected = await cartJs(page);
  await page.waitForFunction(
    ([key, want]) => {
      const seen = JSON.parse(localStorage.getItem(key) ?? "null") as { lines: Array<{ variantId: string; quantity: number }> } | null;
      const lines = Object.fromEntries((seen?.lines ?? []).map((l) => [l.variantId, l.quantity]));
      return JSON.stringify(Object.entries(lines).sort()) === JSON.stringify(Object.entries(want).sort());
    },
    [`cartback:v1:${SHOP}:cart`, expected] as const,
  );
  return expected;
}

async function queuedInIndexedDb(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open("cartback-v1");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction("kv").objectStore("kv").count();
          request.onsuccess = () => resolve(request.result);
        };
      }),
  );
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

function lastSnapshot(events: Received[]): Lines {
  const snapshots = events.filter((e) => e.name === "Cart Snapshot");
  const last = snapshots.at(-1)?.body.lines as Array<{ variantId: string; quantity: number }> | undefined;
  return Object.fromEntries((last ?? []).map((l) => [l.variantId, l.quantity]));
}

function netOfDeltas(events: Received[]): Lines {
  const net: Lines = {};
  for (const e of events) {
    const sign = e.name === "Added to Cart" ? 1 : e.name === "Removed from Cart" ? -1 : 0;
    if (sign === 0) continue;
    const id = String(e.body.variantId);
    net[id] = (net[id] ?? 0) + sign * Number(e.body.quantity);
    if (net[id] === 0) delete net[id];
  }
  return net;
}

/** Each event id once, and every body one that core's wire schema accepts. */
function expectEachOnce(events: Received[]): void {
  const ids = events.map((e) => e.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const e of events) expect(WireEvent.safeParse(e.body).success, JSON.stringify(e.body)).toBe(true);
}

describe("storefront SDK in Chromium against the simulator", () => {
  it("follows add/change/remove by fetch, XHR and form post: the last snapshot and the deltas both equal /cart.js", async () => {
    const { receiver, shop, profile, variants } = await setup();
    const [a, b, c] = variants;
    const context = await open(profile);
    let page = await visit(context, `${shop.url}/products/${a!.handle}`);
    await page.evaluate((id) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add("fetch", id, 1), a!.id);
    await page.evaluate((id) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add("xhr", id, 2), b!.id);
    await settled(page);
    page = await visit(context, `${shop.url}/products/${c!.handle}`);
    await Promise.all([page.waitForURL("**/cart"), page.click("#add-form")]);
    await page.waitForFunction(() => "Cartback" in window);
    await settled(page);
    await page.evaluate(() => (window as unknown as { theme: { change: (v: string, t: object, q: number) => Promise<unknown> } }).theme.change("xhr", { line: 1 }, 3));
    await page.evaluate((id) => (window as unknown as { theme: { change: (v: string, t: object, q: number) => Promise<unknown> } }).theme.change("fetch", { id }, 0), b!.id);
    await settled(page);
    // Old-theme remove link: a plain GET navigation, seen on the next page by comparing carts.
    await Promise.all([page.waitForURL("**/cart"), page.click("#cart-table a")]);
    await page.waitForFunction(() => "Cartback" in window);
    await settled(page);
    await page.evaluate((id) => (window as unknown as { theme: { update: (v: string, u: object) => Promise<unknown> } }).theme.update("fetch", { [id]: 2 }), b!.id);
    const final = await settled(page);
    expect(Object.keys(final).length).toBeGreaterThan(0);

    await until(() => JSON.stringify(lastSnapshot(receiver.accepted())) === JSON.stringify(final));
    await until(async () => (await queuedInIndexedDb(page)) === 0);
    // Navigations cut requests whose answer the page never sees: those events go again from
    // IndexedDB on the next page (at-least-once), and the server's id dedupe keeps one of each.
    const events = receiver.accepted();
    expectEachOnce(events);
    expect(netOfDeltas(events)).toEqual(final);
    expect(events.filter((e) => e.name === "Added to Cart").length).toBeGreaterThanOrEqual(4);
    expect(events.filter((e) => e.name === "Removed from Cart").length).toBeGreaterThanOrEqual(2);
    expect(events.every((e) => typeof e.body.clientId === "string" && e.body.cartToken === events[0]!.body.cartToken)).toBe(true);
  });

  it("sees cart calls under a locale root (Shopify.routes.root = /fr/)", async () => {
    const { receiver, shop, profile, variants } = await setup();
    const context = await open(profile);
    const page = await visit(context, `${shop.url}/fr/products/${variants[0]!.handle}`);
    expect(await page.evaluate(() => (window as unknown as { Shopify: { routes: { root: string } } }).Shopify.routes.root)).toBe("/fr/");
    await page.evaluate((id) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add("xhr", id, 2), variants[0]!.id);
    const final = await settled(page);
    await until(() => JSON.stringify(lastSnapshot(receiver.accepted())) === JSON.stringify(final));
    expect(netOfDeltas(receiver.accepted())).toEqual(final);
  });

  it("offline: 3 adds, reload, browser closed and reopened on the same profile, then online: every event arrives exactly once", async () => {
    const { receiver, shop, profile, variants } = await setup();
    let context = await open(profile);
    // The connection to the app drops: every event request fails at the network level.
    shop.control.proxyDown = true;
    let page = await visit(context, `${shop.url}/products/${variants[0]!.handle}`);
    await page.evaluate((id) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add("fetch", id, 1), variants[0]!.id);
    await page.evaluate((id) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add("xhr", id, 1), variants[1]!.id);
    await settled(page);
    page = await visit(context, `${shop.url}/products/${variants[2]!.handle}`);
    await Promise.all([page.waitForURL("**/cart"), page.click("#add-form")]);
    await page.waitForFunction(() => "Cartback" in window);
    const final = await settled(page);
    // Fully offline too: the SDK must hold its events (navigator.onLine is false) without spending attempts.
    await context.setOffline(true);
    await page.evaluate(() => (window as unknown as { Cartback: { flush: () => Promise<void> } }).Cartback.flush());
    await context.setOffline(false);
    await page.reload();
    await page.waitForFunction(() => "Cartback" in window);
    const queued = await queuedInIndexedDb(page);
    expect(queued).toBeGreaterThanOrEqual(6);
    await context.close();
    expect(receiver.received).toEqual([]);

    shop.control.proxyDown = false;
    context = await open(profile);
    page = await visit(context, `${shop.url}/`);
    await until(() => receiver.delivered().length >= queued);
    await until(async () => (await queuedInIndexedDb(page)) === 0);
    const events = receiver.delivered();
    expect(events).toHaveLength(queued);
    expectEachOnce(events);
    expect(netOfDeltas(events)).toEqual(final);
    expect(lastSnapshot(events)).toEqual(final);
    expect(await cartJs(page)).toEqual(final);
  });

  it("server answers 500 then recovers: no event lost, none accepted twice", async () => {
    const { receiver, shop, profile, variants } = await setup();
    receiver.control.failWith = 500;
    receiver.control.failRemaining = 3;
    const context = await open(profile);
    const page = await visit(context, `${shop.url}/products/${variants[0]!.handle}`);
    for (const [i, v] of variants.slice(0, 3).entries()) {
      await page.evaluate(([id, via]) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add(via!, id!, 1), [v.id, i % 2 ? "xhr" : "fetch"]);
    }
    const final = await settled(page);
    await until(() => JSON.stringify(lastSnapshot(receiver.delivered())) === JSON.stringify(final) && receiver.control.failRemaining === 0, 30_000);
    await until(async () => (await queuedInIndexedDb(page)) === 0, 30_000);
    expect(receiver.requests.filter((r) => r.status === 500)).toHaveLength(3);
    const delivered = receiver.delivered();
    expectEachOnce(delivered);
    const failedIds = new Set(receiver.received.filter((r) => r.status === 500).map((r) => r.id));
    for (const id of failedIds) expect(delivered.some((d) => d.id === id)).toBe(true);
    expect(netOfDeltas(delivered)).toEqual(final);
  }, 60_000);

  it("consent denied: nothing leaves the browser; granted later: the queued events are sent", async () => {
    const { receiver, shop, profile, variants } = await setup({ defaultConsent: { analytics: false, marketing: false } });
    const context = await open(profile);
    const page = await visit(context, `${shop.url}/products/${variants[0]!.handle}`);
    await page.evaluate((id) => (window as unknown as { theme: { add: (v: string, i: string, q: number) => Promise<unknown> } }).theme.add("fetch", id, 2), variants[0]!.id);
    const final = await settled(page);
    await page.waitForTimeout(1500);
    expect(receiver.requests).toEqual([]);
    expect(await queuedInIndexedDb(page)).toBe(2);
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          (window as unknown as { Shopify: { customerPrivacy: { setTrackingConsent: (v: object, cb: () => void) => void } } }).Shopify.customerPrivacy.setTrackingConsent({ analytics: true, marketing: true }, resolve),
        ),
    );
    await until(() => receiver.delivered().length === 2);
    expectEachOnce(receiver.delivered());
    expect(lastSnapshot(receiver.delivered())).toEqual(final);
  });
});
