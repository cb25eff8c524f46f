import { randomUUID } from "node:crypto";
import { artifactPath, availableDatabases, launchChromium } from "@cartback/testing";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type E2eShop, postEvents, startE2eShop } from "./support/shop.ts";

/**
 * The email designer in Chromium against the app as `npm start` runs it: a merchant builds the
 * step's email from blocks, saves, reloads, previews it with a real shopper's cart, sends a test
 * to the SMTP sink and reads the products back; every default block fits 375 and 600 px.
 */
const BLOCK_LABELS = ["Header / logo", "Heading", "Text", "Image", "Button", "Divider", "Spacer", "Two columns", "Cart items", "Restore-cart button", "Discount code", "Footer", "Liquid"];
const FINAL = ["header", "cartItems", "heading", "text", "button", "restoreCart", "footer"];
const SEED = "{% for item in Catalog.Samplecatalog1 %}<img src=\"{{ item.ImageURL | default: 'No Image' }}\"> {{ item.Identity }} {{ item.Name }} {{ item.Price }}{% endfor %}";

describe.each(availableDatabases())("email designer in Chromium on %s", (database) => {
  let shop: E2eShop;
  let browser: Browser;
  let page: Page;
  let designUrl: string;
  const shopper = `designer.${randomUUID().slice(0, 6)}@designer-e2e.example`;
  const browserLog: string[] = [];

  beforeAll(async () => {
    [shop, browser] = await Promise.all([startE2eShop({ database, campaign: { steps: "2h" } }), launchChromium()]);
    // A real shopper with two products in the cart (Samplecatalog1 is the campaign's alias).
    const clientId = randomUUID();
    const at = () => new Date().toISOString();
    const [beanie, tote] = shop.variants;
    await postEvents(shop, [
      { id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId, variantId: beanie!.id, quantity: 2, price: beanie!.price, currency: "USD" },
      { id: randomUUID(), name: "Added to Cart", occurredAt: at(), clientId, variantId: tote!.id, quantity: 1, price: tote!.price, currency: "USD" },
      { id: randomUUID(), name: "Identify", occurredAt: at(), clientId, email: shopper, firstName: "Robin", marketingConsent: "subscribed", via: "form" },
    ]);
    const campaigns = await shop.merchant.get("/app/campaigns");
    const id = /name="id" value="([^"]+)"/.exec(campaigns.html)?.[1];
    expect(campaigns.html).toContain(`/app/campaigns/${id}/1/design`);
    designUrl = `${shop.app.url}/app/campaigns/${id}/1/design`;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("pageerror", (error) => browserLog.push(`pageerror: ${error.message.slice(0, 300)}`));
    await page.goto(`${shop.app.url}/app`);
    await page.waitForURL(/\/auth\/login/);
    await page.getByLabel("Admin password").fill(shop.app.adminPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${shop.app.url}/app`);
  });
  afterAll(async () => {
    await browser?.close();
    await shop?.stop();
  });

  // Until React has hydrated the page, a click on a Polaris control is undone (root.tsx marks it).
  const interactive = async () => {
    try {
      await page.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 60_000 });
    } catch (error) {
      throw new Error(`${page.url()} never hydrated: ${(error as Error).message}\nbrowser said: ${browserLog.slice(-10).join("\n")}`);
    }
  };
  const open = async () => {
    await page.goto(designUrl);
    await interactive();
  };
  const blockTypes = () => page.locator("ol.block-list > li").evaluateAll((items) => items.map((li) => li.getAttribute("data-block-type")));
  const addBlock = async (label: string) => {
    await page.getByLabel("Block", { exact: true }).selectOption({ label });
    await page.getByRole("button", { name: "Add block" }).click();
  };
  const previewHtml = () => page.locator("iframe.email-preview").getAttribute("srcdoc");
  const waitForPreview = async (has: string) => {
    await expect.poll(async () => (await previewHtml()) ?? "", { timeout: 20_000 }).toContain(has);
    return (await previewHtml())!;
  };

  it("builds an email from blocks, saves, reloads, previews a shopper's cart and sends a test with the right products", async () => {
    await open();
    await page.getByRole("button", { name: "Minimal" }).click();
    await page.waitForSelector("ol.block-list");
    await interactive();
    expect(await blockTypes()).toEqual(["header", "text", "cartItems", "restoreCart", "footer"]);
    // Take the cart items out and put them back from the menu, then a heading and a button.
    await page.getByRole("button", { name: "Remove Cart items" }).click();
    await page.getByRole("button", { name: "Edit Text" }).click();
    await addBlock("Cart items");
    await page.getByRole("button", { name: "Edit Header / logo" }).click();
    await addBlock("Heading");
    await page.getByLabel("Heading", { exact: true }).fill("Robin, your picks are waiting");
    await addBlock("Button");
    await page.getByLabel("Button text").fill("See new arrivals");
    expect(await blockTypes()).toEqual(["header", "heading", "button", "text", "cartItems", "restoreCart", "footer"]);
    // Keyboard: the button's handle, Space to lift, ArrowDown, Space to drop; then one place down by its button.
    // Each key waits for dnd-kit to take the previous one: the handle is pressed while lifted, and
    // the screen-reader live region says where the block is over.
    const handleOf = page.getByRole("button", { name: "Drag Button" });
    const liveRegion = () => page.locator('[id^="DndLiveRegion"]').first().textContent();
    await handleOf.focus();
    await page.keyboard.press("Space");
    await expect.poll(() => handleOf.getAttribute("aria-pressed")).toBe("true");
    await page.keyboard.press("ArrowDown");
    await expect.poll(liveRegion).toMatch(/over droppable area intro/);
    await page.keyboard.press("Space");
    await expect.poll(blockTypes).toEqual(["header", "heading", "text", "button", "cartItems", "restoreCart", "footer"]);
    await page.getByRole("button", { name: "Move Button down" }).click();
    expect(await blockTypes()).toEqual(["header", "heading", "text", "cartItems", "button", "restoreCart", "footer"]);
    // Undo and redo the last move.
    await page.getByRole("button", { name: "Undo" }).click();
    expect(await blockTypes()).toEqual(["header", "heading", "text", "button", "cartItems", "restoreCart", "footer"]);
    await page.getByRole("button", { name: "Redo" }).click();
    expect(await blockTypes()).toEqual(["header", "heading", "text", "cartItems", "button", "restoreCart", "footer"]);
    // Pointer: drag the cart items by their handle onto the heading's place.
    const handle = await page.getByRole("button", { name: "Drag Cart items" }).boundingBox();
    const target = await page.locator('li[data-block-type="heading"]').boundingBox();
    await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle!.x + handle!.width / 2, target!.y + target!.height / 2, { steps: 12 });
    await page.mouse.move(handle!.x + handle!.width / 2, target!.y + target!.height / 2 - 2, { steps: 2 });
    await page.mouse.up();
    await expect.poll(blockTypes).toEqual(FINAL);
    // After a drop, dnd-kit swallows every click on the document (a capturing listener) until a
    // 50 ms timer removes it; a Save click that lands inside that window does nothing. Wait until a
    // probe click reaches the page again, rather than for a fixed time.
    await expect.poll(() => page.evaluate(() => {
      let reached = false;
      const probe = () => { reached = true; };
      document.body.addEventListener("click", probe);
      document.body.dispatchEvent(new MouseEvent("click", { bubbles: true }));
      document.body.removeEventListener("click", probe);
      return reached;
    })).toBe(true);
    await page.getByRole("button", { name: "Save design" }).click();
    await expect.poll(() => page.getByText("Saved", { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);

    await page.reload();
    await interactive();
    expect(await blockTypes()).toEqual(FINAL);
    await page.getByRole("button", { name: "Edit Heading" }).click();
    expect(await page.getByLabel("Heading", { exact: true }).inputValue()).toBe("Robin, your picks are waiting");

    await page.getByLabel(/Preview with profile/).fill(shopper);
    const [beanie, tote] = shop.variants;
    const html = await waitForPreview(tote!.productTitle);
    expect(html).toContain(beanie!.productTitle);
    expect(html).toContain("Quantity: 2");
    expect(html).toContain("Robin, your picks are waiting");
    await page.getByRole("button", { name: "Mobile" }).click();
    expect(await page.locator("iframe.email-preview").getAttribute("data-device")).toBe("mobile");
    await page.screenshot({ path: artifactPath(`designer-${database}-editor-1280.png`), fullPage: true });

    const to = `merchant.${randomUUID().slice(0, 6)}@designer-e2e.example`;
    await page.getByLabel("Send test to").fill(to);
    await page.getByRole("button", { name: "Send test" }).click();
    const mail = await shop.app.mail.waitForMail((m) => JSON.stringify(m.to ?? "").includes(to), 20_000);
    expect(mail.subject).toMatch(/^\[Test\] Robin, your cart at .+ is waiting$/);
    const body = String(mail.html);
    for (const variant of [beanie!, tote!]) {
      expect(body).toContain(variant.productTitle);
      expect(body).toContain(`alt="${variant.productTitle}"`);
    }
    expect(body).toContain("Robin, your picks are waiting");
    expect(body).toContain("See new arrivals");
    expect(body).not.toContain(shop.variants[2]!.productTitle);
  });

  it("renders the seed's snippet pasted into a Liquid block with the shopper's rows", async () => {
    await open();
    await page.getByRole("button", { name: "Edit Footer" }).click();
    await addBlock("Liquid");
    await page.getByLabel("Liquid", { exact: true }).fill(SEED);
    await page.getByLabel(/Preview with profile/).fill(shopper);
    const [beanie, tote] = shop.variants;
    const html = await waitForPreview(`${beanie!.id} ${beanie!.productTitle} ${beanie!.price}`);
    expect(html).toContain(`<img src="${beanie!.imageUrl}"> ${beanie!.id} ${beanie!.productTitle} ${beanie!.price}<img src="${tote!.imageUrl}"> ${tote!.id} ${tote!.productTitle} ${tote!.price}`);
  });

  it("renders every default block without horizontal overflow at 375 and 600 px", async () => {
    await open();
    for (const label of BLOCK_LABELS) await addBlock(label);
    // The Liquid block, added last, lists the sample cart's titles (the shop's own products): its output marks a preview of the
    // document with every block in it.
    const email = await waitForPreview(`${shop.variants[1]!.productTitle}<br>`);
    expect(email).toContain("WELCOME10");
    expect(await blockTypes()).toEqual(expect.arrayContaining(["header", "heading", "text", "image", "button", "divider", "spacer", "columns", "cartItems", "restoreCart", "discount", "footer", "liquid"]));
    for (const width of [375, 600]) {
      const view = await browser.newPage({ viewport: { width, height: 800 } });
      await view.setContent(email);
      const overflow = await view.evaluate(() => {
        const wide = [...document.querySelectorAll("td.block, table.container")].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5).map((el) => el.outerHTML.slice(0, 120));
        return { scroll: document.documentElement.scrollWidth, inner: window.innerWidth, wide };
      });
      await view.screenshot({ path: artifactPath(`designer-${database}-all-blocks-${width}.png`), fullPage: true });
      await view.close();
      expect(overflow.wide).toEqual([]);
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.inner);
    }
  });
});
