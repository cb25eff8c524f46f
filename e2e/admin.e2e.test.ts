import { randomUUID } from "node:crypto";
import { type AppProcess, artifactPath, availableDatabases, launchChromium, startAppProcess } from "@cartback/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eProducts } from "./support/catalog.ts";
import { ADMIN_PAGES } from "./support/admin-pages.ts";

/**
 * The admin as a merchant uses it, in Chromium, against the app started as `npm start` does:
 * every form is saved, the page reloaded and the stored value read back from the page; every
 * switch goes on → off → on; emails open from the Outbox, test sends are listed as tests.
 */

const LIST_TEMPLATE = "<ul>{% for item in Catalog.Samplecatalog1 %}<li>{{ item.Name }}</li>{% endfor %}</ul>";

describe.each(availableDatabases())("admin round trips in Chromium on %s", (database) => {
  let app: AppProcess;
  let browser: Browser;
  let page: Page;
  const browserLog: string[] = [];
  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppProcess({ database, shopify: { products: e2eProducts(), bulkCompletion: "immediate" } }), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", (message) => browserLog.push(`${message.type()}: ${message.text().slice(0, 300)}`));
    page.on("pageerror", (error) => browserLog.push(`pageerror: ${error.message.slice(0, 300)}`));
    await page.goto(`${app.url}/app`);
    await page.waitForURL(/\/auth\/login/);
    await page.getByLabel("Admin password").fill(app.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.url}/app`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  // Until React has hydrated the page, a click on a Polaris control is undone (root.tsx marks it).
  const interactive = async () => {
    try {
      await page.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 60_000 });
    } catch (error) {
      throw new Error(`${page.url()} never hydrated: ${(error as Error).message}\nbrowser said: ${browserLog.slice(-10).join("\n")}`);
    }
  };
  const open = async (path: string) => {
    await page.goto(`${app.url}${path}`);
    await interactive();
  };
  const reload = async () => {
    await page.reload();
    await interactive();
  };
  const field = (label: string | RegExp) => page.getByLabel(label, { exact: typeof label === "string" });
  const checkbox = (label: string | RegExp) => page.getByRole("checkbox", { name: label }).first();
  /** Waits for a message on the page; a failure names the messages that are there instead. */
  const banner = async (text: string | RegExp) => {
    try {
      await expect.poll(() => page.getByText(text).first().isVisible(), { timeout: 15_000 }).toBe(true);
    } catch {
      const shown = await page.locator(".Polaris-Banner, .Polaris-InlineError").allTextContents();
      throw new Error(`no "${text}" on ${page.url()}; the page shows: ${JSON.stringify(shown)}\nbrowser said: ${browserLog.slice(-10).join("\n")}`);
    }
  };
  const save = async (name = "Save", expected: string | RegExp = /^(Settings saved\.|Saved)$/) => {
    await page.getByRole("button", { name, exact: true }).click();
    await banner(expected);
  };
  /** Ticks or unticks a Polaris checkbox by clicking its label, as a merchant does. */
  const setBox = async (label: string | RegExp, on: boolean) => {
    if ((await checkbox(label).isChecked()) !== on) await page.getByText(label).first().click();
    expect(await checkbox(label).isChecked()).toBe(on);
  };

  it("titles every page and reaches each one from the navigation at 1280 and at 390 px", async () => {
    for (const [label, path] of ADMIN_PAGES) {
      await open(path);
      expect(await page.title()).toBe(`${label} · Cartback`);
      await page.screenshot({ path: artifactPath(`admin-${database}-${label.toLowerCase()}-1280.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [label, path] of ADMIN_PAGES) {
      // Open the page before it, then go to this one through the menu.
      await open(ADMIN_PAGES[(ADMIN_PAGES.findIndex(([l]) => l === label) + 1) % ADMIN_PAGES.length]![1]);
      await page.getByRole("button", { name: "Toggle menu" }).click();
      await page.getByRole("link", { name: label, exact: true }).first().click();
      await page.waitForURL(`${app.url}${path}`);
      await expect.poll(() => page.getByRole("heading", { name: label, level: 1 }).isVisible()).toBe(true);
      await page.waitForLoadState("networkidle");
      // The menu slides away after a choice (Polaris' 300 ms transition): photograph the page, not the slide.
      await page.waitForTimeout(500);
      await page.screenshot({ path: artifactPath(`admin-${database}-${label.toLowerCase()}-390.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("Settings: every field is stored and shown after a reload; Cart Tracking goes on → off → on", async () => {
    await open("/app/settings");
    const tracking = /^Track carts/;
    expect(await checkbox(tracking).isChecked()).toBe(true);
    await field("Time zone").fill("Mars/Olympus");
    await save("Save", "Time zone must be an IANA time zone like Europe/Paris");
    await field("Time zone").fill("Europe/Berlin");
    await field("From name").fill("Admin E2E Shop");
    await field("From address").fill("hello@admin-e2e.example");
    await field("Reply-to").fill("care@admin-e2e.example");
    await save();
    await reload();
    expect(await checkbox(tracking).isChecked()).toBe(true);
    expect([await field("Time zone").inputValue(), await field("From name").inputValue(), await field("From address").inputValue(), await field("Reply-to").inputValue()])
      .toEqual(["Europe/Berlin", "Admin E2E Shop", "hello@admin-e2e.example", "care@admin-e2e.example"]);
    for (const on of [false, true]) {
      await setBox(tracking, on);
      await save();
      await reload();
      expect(await checkbox(tracking).isChecked()).toBe(on);
    }
  });

  it("Campaigns: the settings form round-trips, Active stays on after a save and goes on → off → on, errors read as the page names the field", async () => {
    await open("/app/campaigns");
    expect(await checkbox("Active").isChecked()).toBe(true);
    await field("Steps (delay after the last cart change)").fill("0s");
    await save("Save", "Delay must be at least 1 second");
    const values: Record<string, string> = {
      "Steps (delay after the last cart change)": "20m,1d", "Frequency cap per shopper": "2/1d", "Quiet hours": "21:00-08:00",
      "Max age of an episode": "3d", "Cool-down between episodes": "1h", "Alias in templates": "Samplecatalog1",
    };
    for (const [label, value] of Object.entries(values)) await field(label).fill(value);
    await field("Consent").selectOption("marketing");
    await field("Empty cart at send time").selectOption("send_fallback");
    await save();
    await reload();
    for (const [label, value] of Object.entries(values)) expect(await field(label).inputValue(), label).toBe(value);
    expect(await field("Consent").inputValue()).toBe("marketing");
    expect(await field("Empty cart at send time").inputValue()).toBe("send_fallback");
    expect(await checkbox("Active").isChecked()).toBe(true);
    for (const on of [false, true]) {
      await setBox("Active", on);
      await save();
      await reload();
      expect(await checkbox("Active").isChecked()).toBe(on);
    }
  });

  it("Campaigns: a step template is saved and read back, Use default template goes off → on, and a test send is listed in the Outbox as a test and opens", async () => {
    await open("/app/campaigns");
    await setBox("Use default template", false);
    await field("Subject").first().fill("Still thinking about {{ cart.item_count }} items?");
    // A small template: a save test-renders a 50-item cart within the 50 ms send budget.
    await field("HTML (Liquid)").first().fill(LIST_TEMPLATE);
    await page.getByRole("button", { name: "Save step 1 template" }).click();
    await banner(/^Saved$/);
    await reload();
    expect(await checkbox("Use default template").first().isChecked()).toBe(false);
    expect(await field("Subject").first().inputValue()).toBe("Still thinking about {{ cart.item_count }} items?");
    expect(await field("HTML (Liquid)").first().inputValue()).toBe(LIST_TEMPLATE);
    const to = `owner.${randomUUID().slice(0, 6)}@admin-e2e.example`;
    await field("Send test to").first().fill(to);
    await page.getByRole("button", { name: "Send test" }).first().click();
    await banner(`Test sent to ${to}`);
    const mail = await app.mail.waitForMail((m) => JSON.stringify(m.to ?? "").includes(to), 15_000);
    expect(mail.subject).toMatch(/^\[Test\] Still thinking about \d+ items\?$/);
    const subject = mail.subject!;
    await setBox("Use default template", true);
    await page.getByRole("button", { name: "Save step 1 template" }).click();
    await banner(/^Saved$/);
    await reload();
    expect(await checkbox("Use default template").first().isChecked()).toBe(true);

    await open("/app/outbox");
    const row = page.getByRole("row").filter({ hasText: subject });
    await expect.poll(() => row.getByText("Test", { exact: true }).isVisible()).toBe(true);
    expect(await row.textContent()).toContain(`${to.slice(0, 1)}***@admin-e2e.example`);
    await row.getByRole("link").first().click();
    await page.waitForURL(/\/app\/outbox\/[^/]+$/);
    await expect.poll(() => page.getByRole("heading", { name: subject, level: 1 }).isVisible()).toBe(true);
    expect(await page.getByRole("heading", { name: "Outbox", level: 1 }).count()).toBe(0);
    const body = await page.locator("body").innerText();
    expect(body).toContain("Admin E2E Shop");
    expect(body).toContain("A test send from the Campaigns page");
    expect(await page.locator('iframe[title="Email"]').getAttribute("sandbox")).toBe("");
    await expect.poll(() => page.frameLocator('iframe[title="Email"]').getByText("Sample Hoodie - Large").first().isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath(`admin-${database}-outbox-email-1280.png`), fullPage: true });
  });

  it("Catalog: Catalog Sync goes on → off → on and stays so after a reload; a CSV import and a search are shown after a reload", async () => {
    await open("/app/catalog");
    const badge = async () => (await page.locator("text=/^(On|Off)( — .*)?$/").first().textContent()) ?? "";
    for (const turn of ["Turn on", "Turn off", "Turn on"] as const) {
      if (turn === "Turn on" && (await page.getByRole("button", { name: "Turn off" }).count()) > 0) continue;
      await page.getByRole("button", { name: turn }).click();
      await banner(turn === "Turn on" ? /^Catalog Sync is on/ : /^Catalog Sync is off/);
      await reload();
      expect(await badge()).toMatch(turn === "Turn on" ? /^On/ : /^Off$/);
    }
    await field("Catalog name").fill("admin-e2e");
    await page.setInputFiles('input[type="file"]', { name: "admin.csv", mimeType: "text/csv", buffer: Buffer.from("Identity,Name,ImageURL,Price\n1001,Admin Umbrella,https://cdn.example/u.jpg,19.00\n") });
    await page.getByRole("button", { name: "Import" }).click();
    await banner("Imported 1 rows into admin-e2e.");
    await reload();
    await page.getByLabel("Catalog", { exact: true }).selectOption("admin-e2e");
    await page.waitForURL(/catalog=admin-e2e/);
    await field("Search name, SKU or variant id").fill("Umbrella");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL(/q=Umbrella/);
    await reload();
    expect(await field("Search name, SKU or variant id").inputValue()).toBe("Umbrella");
    await expect.poll(() => page.getByText("Admin Umbrella").isVisible()).toBe(true);
    // The full sync started by "Turn on" finishes: the status says when (the next test's email needs its products).
    await expect.poll(async () => {
      await open("/app/catalog");
      return badge();
    }, { timeout: 30_000, interval: 1_000 }).toMatch(/^On — last synced .* \(6 variants\)$/);
  });

  it("a campaign email opens from the Outbox with its recipient masked and the decision that sent it", async () => {
    await open("/app/settings");
    await page.getByRole("button", { name: "Create a new API key" }).click();
    const key = ((await page.getByText(/^cbk_/).textContent()) ?? "").trim();
    await open("/app/campaigns");
    // One step, due 2 s after the cart changes, at any hour.
    await field("Steps (delay after the last cart change)").fill("2s");
    await field("Quiet hours").fill("");
    await field("Consent").selectOption("any_known");
    await save();
    const [variant] = e2eProducts()[0]!.variants;
    const email = `shopper.${randomUUID().slice(0, 6)}@admin-e2e.example`;
    const clientId = `c-${randomUUID()}`;
    const events = [
      { id: randomUUID(), name: "Added to Cart", occurredAt: new Date().toISOString(), clientId, variantId: variant!.id, quantity: 1, price: variant!.price, currency: "USD" },
      { id: randomUUID(), name: "Identify", occurredAt: new Date().toISOString(), clientId, email, marketingConsent: "subscribed", via: "form" },
    ];
    const posted = await fetch(`${app.url}/api/v1/events`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify({ events }) });
    expect(posted.status).toBe(200);
    const mail = await app.mail.waitForMail((m) => JSON.stringify(m.to ?? "").includes(email), 30_000);
    await open("/app/outbox");
    const row = page.getByRole("row").filter({ hasText: `${email.slice(0, 1)}***@admin-e2e.example` });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByText("Test", { exact: true }).count()).toBe(0);
    await row.getByRole("link").first().click();
    await expect.poll(() => page.getByRole("heading", { name: mail.subject ?? "", level: 1 }).isVisible()).toBe(true);
    // What the page shows (its loader data also holds the email's HTML, which may name the shopper).
    const body = await page.locator("body").innerText();
    expect(body).not.toContain(email);
    expect(body).toMatch(/Why\s*sent/);
    await page.screenshot({ path: artifactPath(`admin-${database}-outbox-campaign-email-1280.png`), fullPage: true });
    const shown = () => page.frameLocator('iframe[title="Email"]').locator("body").innerText();
    await expect.poll(shown, { timeout: 10_000 }).toContain(e2eProducts()[0]!.title);
  });

  it("Profiles: a search is kept across a reload; the Dashboard of a custom app gives its custom pixel code and offers no web pixel to activate", async () => {
    await open("/app/profiles");
    const search = field("Find a shopper");
    await search.fill("shopper.");
    await search.press("Enter");
    await page.waitForURL(/q=shopper/);
    await reload();
    expect(await search.inputValue()).toBe("shopper.");
    // The start of an email finds the shopper the campaign test above created; a miss says so, not "No shoppers yet".
    await expect.poll(() => page.getByRole("link", { name: /^shopper\.[0-9a-f]{6}@admin-e2e\.example$/ }).count()).toBeGreaterThan(0);
    await search.fill("nobody-here");
    await search.press("Enter");
    await page.waitForURL(/q=nobody-here/);
    await expect.poll(() => page.getByText("No profile matches “nobody-here”").count()).toBe(1);
    expect(await page.getByText("No shoppers yet").count()).toBe(0);
    await open("/app");
    const dashboard = await page.locator("body").innerText();
    expect(dashboard).toContain("Add custom pixel");
    expect(dashboard).toContain("/collect");
    expect(await page.getByRole("button", { name: "Activate web pixel" }).count()).toBe(0);
  });
});
