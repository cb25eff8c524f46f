#!/usr/bin/env node
// `npm run demo`: Cartback with a demo shop, offline, no variables needed. Starts
//   - a local Admin API (packages/shopify-fake) serving the demo's generated products,
//   - the demo storefront (packages/storefront-sim) with the theme app embed and a login form,
//   - the app exactly as `npm start` runs it (a child process), self-hosted for the demo shop,
// with one generated secret on both sides, the catalog synced through the fake and the demo
// campaign's first email 30 seconds after the cart stops changing. Data: ./data/demo.
// Optional: PORT / STOREFRONT_PORT (0 picks free ports), SMTP_URL (else the admin Outbox),
// DATABASE_URL (else embedded PGlite under ./data/demo/app, fresh at every start), CARTBACK_DEMO_DIR.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SHOP = "cartback-demo.myshopify.com";
const DELAY = "30s";
const dir = path.resolve(process.env.CARTBACK_DEMO_DIR ?? path.join(ROOT, "data/demo"));

register();
const load = (relative) => import(pathToFileURL(path.join(ROOT, relative)).href);
const [{ startStorefront }, { demoProductsJson }, { startFakeShopifyAdmin, productsFromJson }, { buildSdk }] = await Promise.all([
  load("packages/storefront-sim/src/server.ts"),
  load("packages/storefront-sim/src/demo-catalog.ts"),
  load("packages/shopify-fake/src/index.ts"),
  load("packages/sdk/scripts/build.mjs"),
]);

/** The demo's secrets, generated once and kept so links and logins survive a restart. */
function demoSecrets() {
  const file = path.join(dir, "demo.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8"));
  const secrets = {
    apiSecret: randomBytes(24).toString("hex"),
    adminToken: `shpat_${randomBytes(16).toString("hex")}`,
    adminPassword: `demo-${randomBytes(6).toString("hex")}`,
  };
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  return secrets;
}

/** `wanted` if free (0 or busy: any free port). */
async function port(wanted) {
  const tryPort = (p) =>
    new Promise((resolve) => {
      const server = createServer();
      server.once("error", () => resolve(null));
      server.listen(p, "127.0.0.1", () => {
        const { port: bound } = server.address();
        server.close(() => resolve(bound));
      });
    });
  return (wanted > 0 && (await tryPort(wanted))) || (await tryPort(0));
}

function cli(env, ...args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts/cartback.mjs"), ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`cartback ${args.join(" ")} failed:\n${output.trim()}`))));
  });
}

function startApp(env) {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/start.mjs")], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const ready = new Promise((resolve, reject) => {
    let seen = "";
    const watch = (chunk) => {
      seen += chunk;
      const match = /Cartback is running at (\S+)/.exec(seen);
      if (match) resolve(match[1]);
    };
    child.stdout.on("data", (d) => {
      process.stdout.write(d);
      watch(String(d));
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.once("exit", (code) => reject(new Error(`the app exited (code ${code}) before it was ready`)));
  });
  return { child, ready };
}

mkdirSync(dir, { recursive: true });
const secrets = demoSecrets();
// Each start is a fresh demo shop: the local Admin API is in memory, so bulk operations, customers
// and the storefront's address from an earlier run are gone (a sync left "running" against the old
// fake would never finish). The secret and the admin password in demo.json stay.
if (!process.env.DATABASE_URL) rmSync(path.join(dir, "app"), { recursive: true, force: true });
const [appPort, storefrontPort] = [await port(Number(process.env.PORT ?? 3000)), await port(Number(process.env.STOREFRONT_PORT ?? 4000))];
const appUrl = `http://127.0.0.1:${appPort}`;
const storefrontUrl = `http://127.0.0.1:${storefrontPort}`;

// One catalog for both sides; its images are drawn by the storefront, so nothing leaves the machine.
const productsFile = path.join(dir, "products.json");
const products = demoProductsJson(`${storefrontUrl}/cdn/images/`);
writeFileSync(productsFile, `${JSON.stringify(products, null, 2)}\n`);
const shopify = await startFakeShopifyAdmin({
  shop: SHOP,
  accessToken: secrets.adminToken,
  products: productsFromJson(JSON.stringify(products)),
  shopInfo: {
    name: "Cartback Demo Store",
    currencyCode: "EUR",
    ianaTimezone: "Europe/Berlin",
    moneyFormat: "€{{amount}}",
    moneyWithCurrencyFormat: "€{{amount}} EUR",
    primaryDomainUrl: storefrontUrl,
    contactEmail: "hello@cartback-demo.example",
  },
});
const sdkFile = await buildSdk(path.join(dir, "cartback.js"));
const storefront = await startStorefront({
  productsFile,
  shop: SHOP,
  currency: "EUR",
  port: storefrontPort,
  appUrl,
  appSecret: secrets.apiSecret,
  sdkFile,
  consentBanner: true,
  defaultConsent: { analytics: false, marketing: false },
  notice: `Cartback demo: accept cookies, log in with any email, add to cart, then leave. The reminder email comes ${DELAY.replace("s", " seconds")} later; its link restores the cart, where "Pay now" places the order (an orders/create webhook to the app) that the admin's Results page credits to the email.`,
  // A login is a customer Shopify knows: the app reads their email and consent through the Admin API.
  onLogin: (customer) => {
    if (shopify.state.customers.some((c) => c.id === customer.id)) return;
    shopify.state.customers.push({ id: customer.id, email: customer.email, firstName: null, lastName: null, marketingState: customer.acceptsMarketing ? "SUBSCRIBED" : "NOT_SUBSCRIBED" });
  },
});

// The demo is its own self-hosted shop: partner-app settings from the caller's shell would clash.
const { SHOPIFY_API_KEY: _key, SCOPES: _scopes, ...inherited } = process.env;
const env = {
  ...inherited,
  NODE_ENV: "development",
  PORT: String(appPort),
  HOST: "127.0.0.1",
  SHOPIFY_APP_URL: appUrl,
  CARTBACK_DATA_DIR: path.join(dir, "app"),
  SHOPIFY_SHOP: SHOP,
  SHOPIFY_ADMIN_TOKEN: secrets.adminToken,
  SHOPIFY_API_SECRET: secrets.apiSecret,
  SHOPIFY_ADMIN_API_ORIGIN: shopify.origin,
  ADMIN_PASSWORD: secrets.adminPassword,
  LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
};
let app = null;
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  if (app && app.child.exitCode === null) {
    const exited = new Promise((resolve) => app.child.once("exit", resolve));
    app.child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
  }
  await Promise.allSettled([storefront.close(), shopify.close()]);
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

try {
  process.stdout.write("Setting up the demo shop (install, catalog sync through the local Admin API, campaign delay)…\n");
  await cli(env, "install", SHOP);
  process.stdout.write(`${await cli(env, "catalog", SHOP, "on")}\n`);
  const campaign = await cli(env, "campaign", SHOP, "--delay", DELAY, "--active", "true");
  app = startApp(env);
  app.child.once("exit", (code) => void stop(code ?? 1));
  await app.ready;
  const mail = process.env.SMTP_URL ? "through SMTP_URL" : `to the Outbox page (${appUrl}/app/outbox; files under ${path.join(dir, "app/outbox")})`;
  process.stdout.write(
    [
      "",
      "Cartback demo is ready.",
      `  Shop:   ${storefrontUrl}   (accept cookies, log in with any email, add to cart, leave)`,
      `  Admin:  ${appUrl}/app   password: ${secrets.adminPassword}`,
      `  Demo campaign: ${campaign.split("\n")[0]}; first email ${DELAY.replace("s", " seconds")} after the cart stops changing (${campaign.split("\n").find((l) => l.startsWith("steps:")) ?? ""})`,
      `  Emails go ${mail}.`,
      `  Results: ${appUrl}/app/results   (the email's click and the order paid from its restored cart)`,
      "  Ctrl-C stops everything.",
      "",
    ].join("\n"),
  );
} catch (error) {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
}
