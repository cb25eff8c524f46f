import { createHmac, randomUUID } from "node:crypto";
import { artifactPath, availableDatabases, deliverWebhook, signedProxyUrl } from "@cartback/testing";
import type { Browser, Frame } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eProducts, e2eVariants } from "./support/catalog.ts";
import {
  type EmbeddedAdmin, fetchAsAdmin, launchAdminChromium, OPTIONAL_SCOPES, openEmbeddedAdmin, type PartnerApp, REQUIRED_SCOPES, startPartnerApp,
} from "./support/partner.ts";
import { readAppToml, servedWebhookUris } from "./support/partner-toml.ts";
import { cartPayload, checkoutPayload, type Shopper } from "./support/webhooks.ts";
import { ADMIN_PAGES } from "./support/admin-pages.ts";

/**
 * The App Store path, against the app started as `npm start` does in partner mode: the merchant
 * opens Cartback from the Shopify admin (a test page framing it, with a local App Bridge), the
 * app installs itself by token exchange with the Admin API fake, every page works in the frame,
 * then app/uninstalled stops every send and a reinstall resumes with a new token.
 */
const STEPS = "Steps (delay after the last cart change)";

describe.each(availableDatabases())("partner app: install, embedded admin, uninstall, reinstall on %s", (database) => {
  let partner: PartnerApp;
  let browser: Browser;
  let admin: EmbeddedAdmin;
  const variants = e2eVariants();
  beforeAll(async () => {
    [partner, browser] = await Promise.all([startPartnerApp(database, { products: e2eProducts() }), launchAdminChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await partner?.stop();
  });

  /** The app's frame once React has hydrated the page at `path` (before that, clicks are undone). */
  const framedPage = async (path: string): Promise<Frame> => {
    try {
      await expect.poll(() => admin.page.frames().some((f) => new URL(f.url()).pathname === path && !f.url().includes("session-token")), { timeout: 30_000 }).toBe(true);
      const frame = admin.frame();
      await frame.waitForSelector("html[data-hydrated]", { state: "attached", timeout: 60_000 });
      return frame;
    } catch (error) {
      throw new Error(`${path} never showed in the frame: ${(error as Error).message}\nbrowser said: ${admin.browserLog.slice(-10).join("\n")}\napp said: ${partner.app.output().stderr.slice(-2000)}`);
    }
  };
  const heading = (frame: Frame, name: string) => frame.getByRole("heading", { name, level: 1 });
  const shot = (name: string) => admin.page.screenshot({ path: artifactPath(`partner-${database}-${name}.png`) });
  /** A cart and its checkout naming the shopper, as Shopify's webhooks report them. */
  const abandon = async (shopper: Shopper, token: string) => {
    const target = { appUrl: partner.app.url, shop: partner.shop, secret: partner.apiSecret };
    const lines = [{ variant: variants[0]!, quantity: 1 }];
    const at = new Date().toISOString();
    const cart = await deliverWebhook(target, { topic: "carts/create", raw: cartPayload(token, at, at, lines) });
    const checkout = await deliverWebhook(target, { topic: "checkouts/create", raw: checkoutPayload(`k${token}`, token, at, shopper, lines) });
    return [cart.status, checkout.status];
  };
  /** The Profiles page's text about one shopper, read as the framed admin reads it (session token). */
  const profileText = async (email: string): Promise<string> => {
    const list = await fetchAsAdmin(partner, `/app/profiles?q=${encodeURIComponent(email)}&embedded=1&shop=${partner.shop}&host=${partner.host}&id_token=${partner.sessionToken()}`, "");
    const link = /href="(\/app\/profiles\/[^"?]+)"/.exec(await list.text())?.[1];
    if (!link) return `no profile found (HTTP ${list.status})`;
    const page = await fetchAsAdmin(partner, `${link}?embedded=1&shop=${partner.shop}&host=${partner.host}&id_token=${partner.sessionToken()}`, "");
    return (await page.text()).replace(/<script[\s\S]*?<\/script>/g, "").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 4000);
  };
  const shopper = (name: string): Shopper => ({ customerId: 8_100_000 + Math.floor(Math.random() * 99_999), email: `${name}.${Date.now().toString(36)}@partner-e2e.example`, consent: "subscribed" });

  it("installs on the first open from the Shopify admin: offline token by token exchange, default campaign, web pixel, first catalog sync", async () => {
    admin = await openEmbeddedAdmin(browser, partner);
    const frame = await framedPage("/app");
    await expect.poll(() => heading(frame, "Dashboard").isVisible()).toBe(true);
    // The layout's and the page's loaders may both exchange (they run in parallel): one offline token.
    const exchanges = partner.fake.state.tokenExchanges;
    expect(exchanges.length).toBeGreaterThanOrEqual(1);
    expect(new Set(exchanges.map((e) => `${e.requestedTokenType} ${e.outcome} ${e.accessToken}`))).toEqual(
      new Set([`urn:shopify:params:oauth:token-type:offline-access-token issued ${partner.fake.state.offlineToken}`]),
    );
    expect(partner.fake.state.webPixels).toHaveLength(1);
    expect(JSON.parse(partner.fake.state.webPixels[0]!.settings)).toMatchObject({ collectorUrl: `${partner.app.publicUrl}/collect`, pixelKey: expect.any(String) });
    expect(partner.fake.state.bulkOperations.length).toBeGreaterThanOrEqual(1);
    await shot("dashboard");
  });

  it("shows every page inside the frame and reaches each one through the NavMenu", async () => {
    for (const [label, path] of ADMIN_PAGES.slice(1)) {
      await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: label, exact: true }).click();
      const frame = await framedPage(path);
      await expect.poll(() => heading(frame, label).isVisible(), { timeout: 15_000 }).toBe(true);
      await shot(label.toLowerCase());
    }
    await admin.page.getByRole("link", { name: "Cartback" }).click();
    await expect.poll(async () => heading(await framedPage("/app"), "Dashboard").isVisible()).toBe(true);
    // Catalog Sync ran at install: the fake's products are in the catalog.
    await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Catalog", exact: true }).click();
    const catalog = await framedPage("/app/catalog");
    await expect.poll(() => catalog.getByText(variants[0]!.productTitle).first().isVisible(), { timeout: 20_000 }).toBe(true);
  });

  it("saves forms with the session token (save, reload, read back) and confirms with an App Bridge toast", async () => {
    await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Settings", exact: true }).click();
    let frame = await framedPage("/app/settings");
    await frame.getByLabel("From name", { exact: true }).fill("Partner E2E Shop");
    await frame.getByLabel("From address", { exact: true }).fill("hello@partner-e2e.example");
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => admin.toasts, { timeout: 15_000 }).toContain("Settings saved.");
    await shot("settings-saved");
    await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Campaigns", exact: true }).click();
    frame = await framedPage("/app/campaigns");
    await frame.getByLabel(STEPS, { exact: true }).fill("4s");
    await frame.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => admin.toasts, { timeout: 15_000 }).toContain("Saved");

    // A full reload of the admin: a new document, a new session token, the stored values.
    await admin.page.reload();
    await framedPage("/app");
    await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Settings", exact: true }).click();
    frame = await framedPage("/app/settings");
    expect(await frame.getByLabel("From name", { exact: true }).inputValue()).toBe("Partner E2E Shop");
    expect(await frame.getByLabel("From address", { exact: true }).inputValue()).toBe("hello@partner-e2e.example");
    await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Campaigns", exact: true }).click();
    frame = await framedPage("/app/campaigns");
    expect(await frame.getByLabel(STEPS, { exact: true }).inputValue()).toBe("4s");
  });

  it("answers an expired or wrongly signed session token with Shopify's re-auth answers, never data", async () => {
    // What App Bridge's fetch sends for a client-side navigation (Remix single fetch).
    const asFetch = (token: string) => fetchAsAdmin(partner, "/app/settings.data", token);
    const valid = await asFetch(partner.sessionToken());
    expect(valid.status).toBe(200);
    expect(await valid.text()).toContain(partner.shop);
    for (const token of [partner.sessionToken({ ttlSeconds: -60 }), partner.sessionToken({ secret: "not-the-app-secret" })]) {
      const refused = await asFetch(token);
      expect(refused.status).toBe(401);
      expect(refused.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
      expect(await refused.text()).not.toContain(partner.shop);
      const documentPath = `/app/settings?embedded=1&shop=${partner.shop}&host=${partner.host}&id_token=${token}`;
      const document = await fetchAsAdmin(partner, documentPath, "", { redirect: "manual" });
      expect(document.status).toBe(302);
      const bounce = new URL(document.headers.get("location")!, partner.app.url);
      expect(bounce.pathname).toBe("/auth/session-token");
      expect(bounce.searchParams.get("shopify-reload")).toContain("/app/settings");
      expect(await document.text()).not.toContain("hello@partner-e2e.example");
    }
  });

  it("shows a declined optional scope with a button that opens Shopify's grant screen; once granted the notice goes", async () => {
    await admin.page.getByRole("link", { name: "Cartback" }).click();
    let frame = await framedPage("/app");
    await expect.poll(() => frame.getByText("Cartback is missing a permission").isVisible()).toBe(true);
    expect(await frame.getByText(/read_customers/).first().isVisible()).toBe(true);
    await shot("missing-scope");
    await frame.getByRole("button", { name: "Grant access" }).click();
    await expect.poll(() => admin.redirects.length, { timeout: 15_000 }).toBeGreaterThan(0).catch((error: Error) => {
      throw new Error(`${error.message}\nbrowser said: ${admin.browserLog.slice(-12).join("\n")}\napp said: ${partner.app.output().stderr.slice(-1500)}`);
    });
    const grant = new URL(admin.redirects[0]!);
    expect(`${grant.origin}${grant.pathname}`).toBe(`https://${partner.shop}/admin/oauth/install`);
    expect(grant.searchParams.get("client_id")).toBe(partner.apiKey);
    expect(grant.searchParams.get("optional_scopes")).toBe("read_customers");
    partner.fake.state.grantedScopes.push("read_customers");
    await admin.page.reload();
    frame = await framedPage("/app");
    await expect.poll(() => heading(frame, "Dashboard").isVisible()).toBe(true);
    expect(await frame.getByText("Cartback is missing a permission").count()).toBe(0);
  });

  it("app/uninstalled stops every send at once and drops the sessions; a reinstall resumes with a new token and the pixel again, data kept", async () => {
    // The control: while installed, an abandoned checkout is emailed after the 4 s step.
    const before = shopper("before");
    expect(await abandon(before, `c1${randomUUID().replaceAll("-", "")}`)).toEqual([200, 200]);
    await partner.app.mail.waitForMail((m) => JSON.stringify(m.to ?? "").includes(before.email), 45_000).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${before.email}'s profile: ${await profileText(before.email)}\napp said: ${partner.app.output().stderr.slice(-2000)}`);
    });

    const after = shopper("after");
    expect(await abandon(after, `c2${randomUUID().replaceAll("-", "")}`)).toEqual([200, 200]);
    partner.fake.state.uninstallApp();
    const uninstalled = await deliverWebhook(
      { appUrl: partner.app.url, shop: partner.shop, secret: partner.apiSecret },
      { topic: "app/uninstalled", raw: JSON.stringify({ id: 1, name: "Partner shop", domain: partner.shop, myshopify_domain: partner.shop }) },
    );
    expect(uninstalled.status).toBe(200);
    await admin.page.close();
    // Well past the step: nothing is sent to a shop that uninstalled.
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    expect(partner.app.mail.to(after.email)).toHaveLength(0);

    const firstToken = partner.fake.state.tokenExchanges[0]!.accessToken!;
    admin = await openEmbeddedAdmin(browser, partner);
    let frame = await framedPage("/app");
    await expect.poll(() => heading(frame, "Dashboard").isVisible()).toBe(true);
    // The stored session was dropped at uninstall, so opening the app exchanged a token again.
    const issued = new Set(partner.fake.state.tokenExchanges.filter((e) => e.outcome === "issued").map((e) => e.accessToken));
    expect(issued).toEqual(new Set([firstToken, partner.fake.state.offlineToken]));
    expect(partner.fake.state.offlineToken).not.toBe(firstToken);
    expect(partner.fake.state.webPixels).toHaveLength(1);
    await shot("reinstalled");

    // Settings survived; the shopper's timeline says why no email went out.
    await admin.page.getByRole("navigation", { name: "App navigation" }).getByRole("link", { name: "Settings", exact: true }).click();
    frame = await framedPage("/app/settings");
    expect(await frame.getByLabel("From name", { exact: true }).inputValue()).toBe("Partner E2E Shop");
    expect(await profileText(after.email)).toMatch(/uninstall/i);
    expect(partner.app.mail.to(after.email)).toHaveLength(0);
  });

  it("shopify.app.toml declares exactly the webhooks the app serves, each URI answers a signed request and refuses a forged one, and so does the app proxy", async () => {
    const declared = readAppToml();
    expect(declared.webhooks.map((w) => w.uri).sort()).toEqual(servedWebhookUris());
    expect(declared.scopes).toEqual(REQUIRED_SCOPES);
    expect(declared.optionalScopes).toEqual(OPTIONAL_SCOPES);
    // The installed shop, except that app/uninstalled and shop/redact are sent for another one.
    const post = (uri: string, topic: string, secret: string) => {
      const shop = topic === "app/uninstalled" || topic === "shop/redact" ? "toml-check.myshopify.com" : partner.shop;
      const body = JSON.stringify({ shop_id: 1, shop_domain: shop, customer: { id: 1, email: "toml@partner-e2e.example", phone: null }, orders_requested: [], data_request: { id: 1 } });
      return fetch(`${partner.app.url}${uri}`, {
        method: "POST",
        body,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": topic,
          "x-shopify-shop-domain": shop,
          "x-shopify-webhook-id": randomUUID(),
          "x-shopify-api-version": "2026-10",
          "x-shopify-triggered-at": new Date().toISOString(),
          "x-shopify-hmac-sha256": createHmac("sha256", secret).update(body).digest("base64"),
        },
      });
    };
    const answers: string[] = [];
    for (const { uri, topics } of declared.webhooks) {
      for (const topic of topics) {
        const signed = await post(uri, topic, partner.apiSecret);
        const forged = await post(uri, topic, "not-the-app-secret");
        answers.push(`${topic} → ${uri}: signed ${signed.status}, forged ${forged.status}`);
        // A signed delivery reaches its handler: accepted, or refused for the payload (never 401/404/5xx).
        expect([200, 201, 202, 204, 400, 422], answers.at(-1)).toContain(signed.status);
        expect(forged.status, answers.at(-1)).toBe(401);
      }
    }
    // https://{shop}/apps/cartback/events reaches the app at <proxy url>/events, signed by Shopify.
    expect(declared.proxy).toEqual({ path: "/proxy", prefix: "apps", subpath: "cartback" });
    const signedUrl = signedProxyUrl({ appUrl: partner.app.url, shop: partner.shop, secret: partner.apiSecret }, "events");
    const proxied = (url: string) => fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ events: [] }) });
    const signed = await proxied(signedUrl);
    expect(signed.status, `app proxy signed: ${signed.status}`).toBeLessThan(500);
    expect([401, 404]).not.toContain(signed.status);
    expect((await proxied(signedUrl.replace(/signature=[0-9a-f]+/, "signature=00"))).status).toBe(401);
  });
});
