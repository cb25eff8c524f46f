import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPath, launchChromium } from "@cartback/testing/chromium";
import { startTestServer, type TestServer } from "../server/testing-server.ts";

const PASSWORD = "correct horse battery";
const SELF_HOSTED = {
  SHOPIFY_SHOP: "cartback-demo.myshopify.com",
  SHOPIFY_ADMIN_TOKEN: "shpat_0123456789abcdef",
  SHOPIFY_API_SECRET: "webhook-secret",
  ADMIN_PASSWORD: PASSWORD,
};

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ env: SELF_HOSTED }), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function signIn(page: Page, password: string) {
  await page.goto(`${server.url}/app`);
  await page.waitForURL(/\/auth\/login/);
  await page.getByLabel("Admin password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

describe("standalone admin in headless Chromium (self-hosted mode)", () => {
  it("rejects a wrong password and stays on the login form", async () => {
    const page = await browser.newPage();
    await signIn(page, "not the password");
    await expect.poll(() => page.getByText("That password is not right.").isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/auth/login");
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "__cartback_admin")).toBeUndefined();
    await page.close();
  });

  it("signs in and renders every admin page with its navigation", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, PASSWORD);
    await page.waitForURL(`${server.url}/app`);
    await expect.poll(() => page.getByRole("heading", { name: "Dashboard" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("cartback-demo.myshopify.com").first().isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath("admin-dashboard.png"), fullPage: true });

    for (const [label, path] of [
      ["Settings", "/app/settings"],
      ["Campaigns", "/app/campaigns"],
      ["Catalog", "/app/catalog"],
      ["Profiles", "/app/profiles"],
    ] as const) {
      await page.getByRole("link", { name: label, exact: true }).first().click();
      await page.waitForURL(`${server.url}${path}`);
      await expect.poll(() => page.getByRole("heading", { name: label, level: 1 }).isVisible()).toBe(true);
    }
    await page.close();
  });

  it("saves settings, names a bad field, and shows a new API key once", async () => {
    const page = await browser.newPage();
    await signIn(page, PASSWORD);
    await page.waitForURL(`${server.url}/app`);
    await page.goto(`${server.url}/app/settings`);
    await page.waitForSelector("html[data-hydrated]", { state: "attached" });
    await page.getByLabel("Time zone").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("an IANA time zone like Europe/Paris").first().isVisible()).toBe(true);
    await page.getByLabel("Time zone").fill("Europe/Paris");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.getByText("Settings saved.").isVisible()).toBe(true);
    await page.reload();
    expect(await page.getByLabel("Time zone").inputValue()).toBe("Europe/Paris");

    await page.getByRole("button", { name: "Create a new API key" }).click();
    await expect.poll(() => page.getByText(/^cbk_/).isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath("admin-settings.png"), fullPage: true });
    await page.reload();
    expect(await page.getByText(/^cbk_/).count()).toBe(0);
    await page.close();
  });

  it("keeps the session cookie httpOnly", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, PASSWORD);
    await page.waitForURL(`${server.url}/app`);
    const cookie = (await context.cookies()).find((c) => c.name === "__cartback_admin");
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe("Lax");
    await context.close();
  });
});
