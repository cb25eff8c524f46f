import { type AppProcess, type CampaignSettings, type DatabaseKind, type MerchantSession, signInMerchant, startAppProcess, type WebhookDelivery } from "@cartback/testing";
import { expect } from "vitest";
import { e2eProducts, e2eVariants, type E2eVariant } from "./catalog.ts";

/** One running app (child process) with a merchant who has done the setup a real one does. */
export interface E2eShop {
  app: AppProcess;
  merchant: MerchantSession;
  apiKey: string;
  pixelKey: string;
  variants: E2eVariant[];
  stop(): Promise<void>;
}

export interface E2eShopOptions {
  database: DatabaseKind;
  campaign: CampaignSettings;
  env?: Record<string, string>;
}

/**
 * Starts the app, signs in, creates the events API key, reads the pixel key, saves the
 * campaign (short delay) and switches Catalog Sync on, then waits until the catalog holds every
 * variant (read back through the catalog API, as a merchant's script would).
 */
export async function startE2eShop(options: E2eShopOptions): Promise<E2eShop> {
  const products = e2eProducts();
  const app = await startAppProcess({
    database: options.database,
    shopify: { products, bulkCompletion: "immediate" },
    env: options.env,
  });
  try {
    const merchant = await signInMerchant(app);
    const apiKey = await merchant.createApiKey();
    const pixelKey = await merchant.pixelKey();
    await merchant.saveSettings({ fromName: "E2E Outfitters", fromAddress: "shop@e2e-outfitters.example" });
    await merchant.configureCampaign(options.campaign);
    await merchant.enableCatalogSync();
    const variants = e2eVariants(products);
    await waitForCatalog(app, apiKey, variants.length);
    return { app, merchant, apiKey, pixelKey, variants, stop: async () => void (await app.stop()) };
  } catch (error) {
    await app.stop();
    throw error;
  }
}

async function waitForCatalog(app: AppProcess, apiKey: string, rows: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  let last = "";
  while (Date.now() < deadline) {
    const response = await fetch(`${app.url}/api/v1/catalogs/shopify-catalog`, { headers: { authorization: `Bearer ${apiKey}` } });
    last = await response.text();
    if (response.ok && last.trim().split("\n").length - 1 >= rows) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the catalog did not reach ${rows} rows: ${last.slice(0, 300)}`);
}

/** POST /api/v1/events with the shop's key; throws unless every event is accepted or a duplicate. */
export async function postEvents(shop: E2eShop, events: object[]): Promise<void> {
  const response = await fetch(`${shop.app.url}/api/v1/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${shop.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ events }),
  });
  const body = await response.text();
  const summary = response.status === 200 ? (JSON.parse(body) as { rejected: number; ignored: number }) : null;
  if (!summary || summary.rejected > 0 || summary.ignored > 0) throw new Error(`events API: HTTP ${response.status} ${body.slice(0, 500)}`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The admin's page of the shopper a Profiles search finds, as text (null: no profile found). */
export async function profilePage(shop: E2eShop, query: string): Promise<string | null> {
  const list = await shop.merchant.get(`/app/profiles?q=${encodeURIComponent(query)}`);
  const link = /href="(\/app\/profiles\/[^"?]+)"/.exec(list.html)?.[1];
  if (!link) return null;
  const { html } = await shop.merchant.get(link);
  return html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

/** What the admin's Profiles page says about a shopper (cart, timeline, decisions), as text for a failure message. */
export async function profileText(shop: E2eShop, query: string): Promise<string> {
  const main = await profilePage(shop, query);
  if (main === null) return `no profile found for ${query}`;
  return main.slice(main.indexOf("Live cart"), main.indexOf("Live cart") + 3000);
}

/** waitForMail to one address; on timeout the error carries the shopper's profile from the admin. */
export async function waitForMailTo(shop: E2eShop, address: string, timeoutMs = 30_000) {
  try {
    return await shop.app.mail.waitForMail((m) => JSON.stringify(m.to ?? "").toLowerCase().includes(address.toLowerCase()), timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nProfile of ${address}: ${await profileText(shop, address).catch((e) => String(e))}`);
  }
}

/** Sends a signed webhook and expects Shopify's delivery to be acknowledged. */
export async function deliverWebhook(shop: E2eShop, delivery: WebhookDelivery): Promise<void> {
  const response = await shop.app.webhook(delivery);
  expect(response.status, `${delivery.topic}: ${await response.clone().text()}`).toBeLessThan(300);
}
