import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchPersistentChromium } from "@cartback/testing/chromium";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileTemplate } from "./compile.ts";
import { DEFAULT_TEMPLATE } from "./default-template.ts";
import { renderEmail } from "./render.ts";
import { inputFor } from "./testing/inputs.ts";
import { solidPng } from "./testing/png.ts";
import { hadesCartRows } from "./testing/storefront-rows.ts";

const ARTIFACTS = path.resolve(fileURLToPath(new URL("../../..", import.meta.url)), "test-artifacts/templates");
const PRODUCT_PNG = solidPng(160, 200, [180, 120, 80]);

let browser: BrowserContext;
let userDataDir: string;

beforeAll(async () => {
  userDataDir = mkdtempSync(path.join(tmpdir(), "cartback-templates-chromium-"));
  mkdirSync(ARTIFACTS, { recursive: true });
  // A fresh profile directory per run; Playwright wants it as the persistent-context argument.
  browser = await launchPersistentChromium(userDataDir);
});

afterAll(async () => {
  await browser?.close();
  rmSync(userDataDir, { recursive: true, force: true });
});

function defaultEmailHtml(): string {
  const compiled = compileTemplate(DEFAULT_TEMPLATE);
  if (compiled.type !== "ok") throw new Error(compiled.message);
  const rows = hadesCartRows(5);
  // One long unbroken name: the classic cause of horizontal scrolling on phones.
  const long = { ...(rows[2] as (typeof rows)[0]), Name: "MUSEBROWNRIBTEEOVERSIZEDHEAVYWEIGHTGARMENTDYEDLIMITEDEDITION" };
  const email = renderEmail(compiled.template, inputFor([rows[0], rows[1], long, rows[3], rows[4]] as typeof rows));
  if (email.type !== "ok") throw new Error(`${email.type}: ${email.message}`);
  return email.html;
}

async function open(width: number, colorScheme: "light" | "dark") {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme });
  // No internet here: product images (Shopify CDN URLs from the capture) are answered locally.
  const requested: string[] = [];
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("https://cdn.shopify.com/")) {
      requested.push(url);
      return route.fulfill({ status: 200, contentType: "image/png", body: PRODUCT_PNG });
    }
    return route.abort();
  });
  await page.setContent(defaultEmailHtml(), { waitUntil: "load" });
  return { page, requested };
}

describe("default email in headless Chromium", () => {
  for (const width of [375, 600]) {
    it(`shows every product image and does not overflow at ${width} px`, async () => {
      const { page, requested } = await open(width, "light");
      const images = await page.$$eval("img", (imgs) => imgs.map((img) => ({ loaded: img.complete && img.naturalWidth > 0, alt: img.alt, shown: img.getBoundingClientRect().width })));
      const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
      await page.screenshot({ path: path.join(ARTIFACTS, `default-email-${width}.png`), fullPage: true });
      await page.close();
      expect(images).toHaveLength(5);
      for (const image of images) {
        expect(image.loaded).toBe(true);
        expect(image.alt).not.toBe("");
        expect(image.shown).toBeGreaterThan(40);
      }
      expect(requested.every((url) => url.includes("_160x."))).toBe(true);
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.viewport);
    });
  }

  it("switches to dark colours when the reader prefers dark mode", async () => {
    const { page } = await open(600, "dark");
    const colours = await page.evaluate(() => {
      const container = document.querySelector(".container");
      const header = document.querySelector(".header");
      return { background: container && getComputedStyle(container).backgroundColor, text: header && getComputedStyle(header).color };
    });
    await page.screenshot({ path: path.join(ARTIFACTS, "default-email-600-dark.png"), fullPage: true });
    await page.close();
    expect(colours).toEqual({ background: "rgb(24, 24, 27)", text: "rgb(250, 250, 250)" });
  });
});
