import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPath, launchChromium } from "@cartback/testing/chromium";
import { startTestServer, type TestServer } from "../server/testing-server.ts";

const PASSWORD = "correct horse battery";

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([
    startTestServer({ env: { SHOPIFY_SHOP: "tpl-admin.myshopify.com", SHOPIFY_ADMIN_TOKEN: "shpat_0123456789abcdef", SHOPIFY_API_SECRET: "webhook-secret", ADMIN_PASSWORD: PASSWORD } }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("campaign template editor in headless Chromium", () => {
  it("shows a template error at the HTML field with line and column, previews the saved step in a sandboxed iframe, then unsaved edits without saving them", { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/app`);
    await page.waitForURL(/\/auth\/login/);
    await page.getByLabel("Admin password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.url}/app`);
    await page.goto(`${server.url}/app/campaigns`);
    // Clicks before React hydrates the page are undone (root.tsx marks <html data-hydrated>).
    await page.waitForSelector("html[data-hydrated]", { state: "attached" });
    await page.getByText("Use default template").click();
    const html = page.getByLabel("HTML (Liquid)");
    await html.fill("<p>Hi</p>\n<p>{% for item in Catalog.Samplecatalog1 %}{{ item.Name }}</p>");
    await page.getByRole("button", { name: "Save step 1 template" }).click();
    await expect.poll(() => page.getByText(/\(line 2, column \d+\)/).first().isVisible()).toBe(true);

    await page.getByLabel("HTML (Liquid)").fill("<ul>{% for item in Catalog.Samplecatalog1 %}<li>{{ item.Name }}</li>{% endfor %}</ul>");
    await page.getByLabel("Alias in templates").fill("Samplecatalog1");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => page.getByText("Saved").first().isVisible()).toBe(true);
    await page.getByRole("button", { name: "Save step 1 template" }).click();
    await expect.poll(() => page.getByText("Saved").first().isVisible()).toBe(true);

    await page.getByRole("button", { name: "Preview" }).click();
    const frame = page.locator('iframe[title="Step 1 preview"]');
    await expect.poll(() => frame.getAttribute("sandbox")).toBe("");
    await expect.poll(() => page.frameLocator('iframe[title="Step 1 preview"]').getByText("Sample Hoodie - Large").isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath("admin-campaign-preview.png"), fullPage: true });

    // Unsaved edits: previewed as they are on screen, errors shown at the field, nothing saved.
    await page.getByLabel("HTML (Liquid)").fill("<p>Draft {{ cart.item_count }}</p>\n{% if %}");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.getByText(/\(line 2, column \d+\)/).first().isVisible()).toBe(true);
    await page.getByLabel("HTML (Liquid)").fill("<ol>{% for item in Catalog.Samplecatalog1 %}<li>Draft: {{ item.Name }}</li>{% endfor %}</ol>");
    await page.getByRole("button", { name: "Preview" }).click();
    await expect.poll(() => page.frameLocator('iframe[title="Step 1 preview"]').getByText("Draft: Sample Hoodie - Large").isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByLabel("HTML (Liquid)").inputValue()).toBe("<ul>{% for item in Catalog.Samplecatalog1 %}<li>{{ item.Name }}</li>{% endfor %}</ul>");
    await page.close();
  });
});
