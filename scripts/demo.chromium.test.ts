import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { artifactPath, launchChromium, signInMerchant } from "@cartback/testing";
import { simpleParser } from "mailparser";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clickTargets } from "../app/server/revenue/testing.ts";

// `npm run demo` from outside: the script in a child process (no SMTP_URL: emails land in the
// outbox), a shopper in Chromium, the email read from the outbox, its recovery link followed.
const ROOT = path.resolve(import.meta.dirname, "..");
const dir = mkdtempSync(path.join(tmpdir(), "cartback-demo-test-"));
let demo: ChildProcess;
let output = "";
let browser: Browser;
let links: { shop: string; admin: string; password: string };
/** The shopper's phone after the email's link, and their address: the order is placed from there. */
let restored: { phone: Page; email: string } | null = null;
let assets: string | null = null;

async function waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until || demo.exitCode !== null) throw new Error(`timed out waiting for ${what}; demo output:\n${output.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

beforeAll(async () => {
  // No SMTP_URL, no Shopify variables: exactly what `npm run demo` gets; only the data and ports are private to the test.
  const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", NODE_ENV: "development" as const, CARTBACK_DEMO_DIR: dir, PORT: "0", STOREFRONT_PORT: "0" };
  demo = spawn(process.execPath, [path.join(ROOT, "scripts/demo.mjs")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  demo.stdout!.on("data", (d) => (output += d));
  demo.stderr!.on("data", (d) => (output += d));
  browser = await launchChromium();
  links = await waitFor(
    "the demo's links",
    () => {
      const shop = /Shop:\s+(http:\/\/\S+)/.exec(output)?.[1];
      const admin = /Admin:\s+(http:\/\/\S+)\s+password: (\S+)/.exec(output);
      return shop && admin ? { shop, admin: admin[1]!, password: admin[2]! } : null;
    },
    240_000,
  );
  assets = await snapshotAssets();
}, 300_000);

/**
 * The demo serves the admin's browser assets from the shared app/build, which an `npm start` on a
 * changed tree rebuilds (emptying it first) while this test runs: a copy taken once the demo is
 * up answers for them when the app cannot (same approach as e2e/support/partner.ts).
 */
async function snapshotAssets(): Promise<string | null> {
  const built = path.join(ROOT, "app/build/client/assets");
  for (let attempt = 0; attempt < 60; attempt++) {
    const copy = mkdtempSync(path.join(tmpdir(), "cartback-demo-assets-"));
    try {
      cpSync(built, copy, { recursive: true });
      if (readdirSync(copy).some((f) => f.endsWith(".css"))) return copy;
    } catch {
      // mid-rebuild: try again
    }
    rmSync(copy, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return null;
}

async function adminPage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 1400 } })).newPage();
  await page.route(`${new URL(links.admin).origin}/assets/**`, async (route) => {
    const copy = assets && path.join(assets, path.basename(new URL(route.request().url()).pathname));
    const answer = await route.fetch().catch(() => null);
    if (answer?.ok() || !copy || !existsSync(copy)) return answer ? route.fulfill({ response: answer }) : route.abort();
    await route.fulfill({ path: copy });
  });
  return page;
}

afterAll(async () => {
  await browser?.close();
  if (assets) rmSync(assets, { recursive: true, force: true });
  if (demo && demo.exitCode === null) {
    const exited = new Promise((resolve) => demo.once("exit", resolve));
    demo.kill("SIGINT");
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

async function addToCart(page: Page, handle: string, quantity: number): Promise<void> {
  await page.goto(`${links.shop}/products/${handle}`);
  await page.waitForFunction(() => "Cartback" in window && "theme" in window);
  await page.fill("[name=quantity]", String(quantity));
  await Promise.all([page.waitForResponse((r) => r.url().includes("/cart/add.js")), page.click("#add-fetch")]);
}

describe("npm run demo", () => {
  it("prints the shop, the admin with its password, and the demo campaign's 30 s delay", () => {
    expect(output).toMatch(/Demo campaign: .*active; first email 30 seconds after the cart stops changing/);
    expect(output).toMatch(/Catalog sync: done, \d+ variants/);
  });

  it("mails a shopper who logged in and left a cart, and the email's link rebuilds that cart on the demo storefront", async () => {
    const email = `shopper.${Date.now()}@example.com`;
    const page = await (await browser.newContext()).newPage();
    await page.goto(links.shop);
    expect(await page.textContent("#notice")).toContain("30 seconds");
    await page.click("#consent-accept");
    await page.goto(`${links.shop}/account/login`);
    await page.fill("#CustomerEmail", email);
    await Promise.all([page.waitForURL(`${links.shop}/`), page.click("#login-submit")]);
    expect(await page.textContent("#customer")).toBe(email);
    await addToCart(page, "linen-shirt", 2);
    await addToCart(page, "ceramic-mug", 1);
    const cart = await page.evaluate(() => fetch("/cart.js").then((r) => r.json()));
    const lines = (cart.items as Array<{ variant_id: number; quantity: number; product_title: string }>).map((i) => [String(i.variant_id), i.quantity] as const);
    expect(lines).toHaveLength(2);

    const outbox = path.join(dir, "app/outbox");
    const file = await waitFor("the email in the outbox", () => (existsSync(outbox) ? readdirSync(outbox).find((f) => f.endsWith(".eml")) : null), 150_000);
    const mail = await simpleParser(readFileSync(path.join(outbox, file)));
    expect(mail.to && "text" in mail.to ? mail.to.text : "").toContain(email);
    const html = String(mail.html);
    expect(html).toContain("Linen Shirt");
    expect(html).toContain("Ceramic Mug");
    expect(html).toContain(`${links.shop}/cdn/images/linen-shirt.svg`);
    // The restore link goes through the app's click redirect (/r/<token>) to the cart permalink
    // on the demo storefront.
    const recovery = [...html.matchAll(/href="([^"]*\/r\/[^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&")).find((href) => clickTargets(`href="${href}"`).some((target) => target.startsWith(`${links.shop}/cart/`)));
    expect(recovery, "recovery link through the click redirect").toBeTruthy();
    const target = new URL(clickTargets(`href="${recovery}"`)[0]!);
    expect(target.pathname).toBe(`/cart/${lines.map(([v, q]) => `${v}:${q}`).join(",")}`);

    // Another browser (the shopper on their phone): the link alone rebuilds the cart.
    const phone = await (await browser.newContext()).newPage();
    await phone.goto(recovery!);
    expect(new URL(phone.url()).pathname).toBe("/cart");
    expect(await phone.textContent("#cart-table")).toContain("Linen Shirt");
    const rebuilt = await phone.evaluate(() => fetch("/cart.js").then((r) => r.json()));
    expect((rebuilt.items as Array<{ variant_id: number; quantity: number }>).map((i) => [String(i.variant_id), i.quantity])).toEqual(lines);
    restored = { phone, email };

    const merchant = await signInMerchant({ url: new URL(links.admin).origin, adminPassword: links.password });
    // The Outbox lists the email (addresses are masked there).
    const listed = (await merchant.get("/app/outbox")).html;
    expect(listed).toContain(`${email[0]}***@example.com`);
    expect(listed).toContain(String(mail.subject));
  }, 240_000);

  it("the shopper pays from the restored cart, and the admin's Results page shows the click and the recovered order with its amount", async () => {
    expect(restored, "the previous test left the shopper on the restored cart").not.toBeNull();
    const { phone, email } = restored!;
    // The demo storefront's checkout sends the app a signed orders/create, as Shopify would.
    await phone.fill("#checkout-email", email);
    await Promise.all([phone.waitForURL(/\/checkout$/), phone.click("#checkout-submit")]);
    expect(await phone.getAttribute("#order-webhook", "data-status")).toBe("200");
    const paid = (await phone.textContent("#order-total"))!;
    expect(paid).toMatch(/^\d+\.\d{2} EUR$/);
    const paidMinor = paid.replace(/\D/g, "");

    const admin = await adminPage();
    await admin.goto(`${links.admin}/results?days=7`);
    await admin.waitForURL(/\/auth\/login/);
    await admin.getByLabel("Admin password").fill(links.password);
    await Promise.all([admin.waitForURL(/\/app/), admin.getByRole("button", { name: "Sign in" }).click()]);
    const figure = (id: string) => admin.locator(`[data-figure="${id}"]`).textContent();
    // Attribution runs as the webhook is ingested; allow the page a few reloads on a busy machine.
    for (let attempt = 0; ; attempt++) {
      await admin.goto(`${links.admin}/results?days=7`);
      await admin.getByRole("heading", { name: "Results", level: 1 }).waitFor();
      const styled = await admin.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--p-color-bg-fill-brand") !== "");
      if (styled && (await admin.locator('[data-figure="orders"]').count()) > 0 && (await figure("orders")) === "1") break;
      if (attempt >= 20) throw new Error(`the styled Results page never showed 1 recovered order; demo output:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
    expect(await figure("clicks")).toBe("1");
    expect((await figure("revenue"))?.replace(/\D/g, "")).toBe(paidMinor);
    expect(await admin.locator('[data-funnel-step="Clicked"]').textContent()).toBe("1");
    expect(await admin.locator('[data-funnel-step="Recovered"]').textContent()).toBe("1");
    expect(await admin.locator('figure[data-chart="Recovered revenue"] svg rect').count()).toBe(7);
    await admin.screenshot({ path: artifactPath("demo-results.png"), fullPage: true });
  }, 120_000);

  it("stops the app, the storefront and the Admin API on Ctrl-C", async () => {
    const exited = new Promise<number | null>((resolve) => demo.once("exit", (code) => resolve(code)));
    demo.kill("SIGINT");
    expect(await exited).toBe(0);
    await expect(fetch(links.shop)).rejects.toThrow();
    await expect(fetch(links.admin)).rejects.toThrow();
  }, 60_000);
});
