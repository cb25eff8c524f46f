import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import path from "node:path";
import { type AppProcess, CHROMIUM, CHROMIUM_ARGS, type DatabaseKind, startAppProcess } from "@cartback/testing";
import { type FakeAdminOptions, type FakeShopifyAdmin, signSessionToken, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { type Browser, chromium, type Frame, type Page } from "playwright-core";

/**
 * Cartback as a partner (App Store) app, started as `npm start` does, against the local Admin
 * API fake playing Shopify: token exchange, the Admin API, and (in Chromium) the Shopify admin
 * that frames the app and the App Bridge script it loads.
 */
export const REQUIRED_SCOPES = ["read_products", "read_orders", "write_pixels", "read_customer_events"];
export const OPTIONAL_SCOPES = ["read_customers", "write_discounts"];

export interface PartnerApp {
  app: AppProcess;
  fake: FakeShopifyAdmin;
  shop: string;
  apiKey: string;
  apiSecret: string;
  /** Shopify's `host` parameter: base64 of the admin's address for this shop. */
  host: string;
  /** The admin's address of the app, where the test page that frames it is served. */
  adminUrl: string;
  /** The built admin's browser assets as they were when the app started (see assetsSnapshot). */
  assetsDir: string | null;
  sessionToken(options?: { ttlSeconds?: number; secret?: string }): string;
  stop(): Promise<void>;
}

export async function startPartnerApp(database: DatabaseKind, fakeOptions: FakeAdminOptions = {}): Promise<PartnerApp> {
  const store = `partner-${randomBytes(4).toString("hex")}`;
  const shop = `${store}.myshopify.com`;
  const apiKey = randomBytes(16).toString("hex");
  const apiSecret = `partner-secret-${randomBytes(12).toString("hex")}`;
  const fake = await startFakeShopifyAdmin({
    shop,
    app: { apiKey, apiSecret },
    requestedScopes: REQUIRED_SCOPES,
    optionalScopes: OPTIONAL_SCOPES,
    grantedScopes: REQUIRED_SCOPES,
    bulkCompletion: "immediate",
    ...fakeOptions,
  });
  // The library builds its bounce and reload URLs from SHOPIFY_APP_URL: the port is fixed up front.
  const port = await freePort();
  let app: AppProcess;
  try {
    app = await startAppProcess({
      database,
      shop: null,
      secret: apiSecret,
      // The first start may build the admin on a busy machine.
      startTimeoutMs: 300_000,
      env: {
        PORT: String(port),
        SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
        SHOPIFY_API_KEY: apiKey,
        SHOPIFY_API_SECRET: apiSecret,
        SHOPIFY_ADMIN_API_ORIGIN: fake.origin,
        SCOPES: REQUIRED_SCOPES.join(","),
      },
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  const adminHost = `admin.shopify.com/store/${store}`;
  const assetsDir = snapshotAssets();
  return {
    app,
    fake,
    shop,
    apiKey,
    apiSecret,
    host: Buffer.from(adminHost).toString("base64url"),
    assetsDir,
    adminUrl: `https://${adminHost}/apps/cartback`,
    sessionToken: (options = {}) => signSessionToken(options.secret ?? apiSecret, { shop, apiKey, ttlSeconds: options.ttlSeconds }),
    async stop() {
      await app.stop();
      await fake.close();
      if (assetsDir) rmSync(assetsDir, { recursive: true, force: true });
    },
  };
}

/**
 * The running app serves its browser assets from the shared app/build, which another `npm start`
 * on a changed tree rebuilds (emptying it first) while a long browser test runs. The admin's
 * Chromium falls back to this copy, taken as the app started, when the app answers 404.
 */
function snapshotAssets(): string | null {
  const built = path.join(import.meta.dirname, "../../app/build/client/assets");
  if (!existsSync(built)) return null;
  const copy = mkdtempSync(path.join(tmpdir(), "cartback-partner-assets-"));
  try {
    cpSync(built, copy, { recursive: true });
    return copy;
  } catch {
    rmSync(copy, { recursive: true, force: true });
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Chromium for the framed admin. The admin is a public origin and the app listens on loopback:
 * Chromium's Local Network Access checks would refuse the frame (a real install serves the app
 * from a public https URL), so this one check is off.
 */
export function launchAdminChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, "--disable-features=LocalNetworkAccessChecks"], headless: true });
}

/**
 * The Shopify library answers 410 to bots, and isbot counts "HeadlessChrome" and Node's fetch
 * as bots: requests that play the merchant's browser say they are Chrome.
 */
export const BROWSER_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{version} Safari/537.36";

/** A request from the merchant's browser in the admin frame (session token in Authorization). */
export function fetchAsAdmin(partner: PartnerApp, appPath: string, token = partner.sessionToken(), init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("user-agent", BROWSER_USER_AGENT.replace("{version}", "140.0.0.0"));
  if (token) headers.set("authorization", `Bearer ${token}`);
  return fetch(`${partner.app.url}${appPath}`, { ...init, headers });
}

const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";
const APP_BRIDGE_STAND_IN = readFileSync(path.join(import.meta.dirname, "partner-app-bridge.js"), "utf8");

export interface EmbeddedAdmin {
  page: Page;
  /** Toasts the app showed through App Bridge, in order. */
  toasts: string[];
  /** Where the app sent the top window (App Bridge's reauthorize redirect), if anywhere. */
  redirects: string[];
  browserLog: string[];
  /** The app's frame, once it shows the page at `path`. */
  frame(): Frame;
}

/**
 * A Chromium page playing the Shopify admin: https://admin.shopify.com/store/<store>/apps/cartback
 * (served by the test) frames `/app?embedded=1&shop=…&host=…`, shows the app's NavMenu as its
 * own side navigation and its toasts; the App Bridge script the app loads is the local stand-in.
 */
export async function openEmbeddedAdmin(browser: Browser, partner: PartnerApp, appPath = "/app"): Promise<EmbeddedAdmin> {
  const userAgent = BROWSER_USER_AGENT.replace("{version}", browser.version());
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent });
  const admin: EmbeddedAdmin = {
    page,
    toasts: [],
    redirects: [],
    browserLog: [],
    frame: () => {
      const frame = page.frames().find((f) => f.url().startsWith(partner.app.url));
      if (!frame) throw new Error(`no app frame; frames: ${page.frames().map((f) => f.url()).join(", ")}`);
      return frame;
    },
  };
  page.on("console", (message) => admin.browserLog.push(`${message.type()}: ${message.text().slice(0, 300)}`));
  page.on("pageerror", (error) => admin.browserLog.push(`pageerror: ${error.message.slice(0, 300)}`));
  page.on("response", (response) => {
    const url = response.url();
    if (!url.startsWith(partner.app.url) || url.includes("/assets/")) return;
    const reauthorize = response.headers()["x-shopify-api-request-failure-reauthorize-url"];
    admin.browserLog.push(`${response.request().method()} ${url.slice(partner.app.url.length, partner.app.url.length + 120)} → ${response.status()}${reauthorize ? ` reauthorize ${reauthorize}` : ""}`);
  });
  await page.exposeFunction("__cartbackSessionToken", () => partner.sessionToken());
  await page.exposeFunction("__cartbackAdminSaw", (message: { type: string; message?: string; url?: string }) => {
    if (message.type === "toast" && message.message) admin.toasts.push(message.message);
    if (message.type === "redirect" && message.url) admin.redirects.push(message.url);
  });
  await page.route(`${partner.app.url}/assets/**`, async (route) => {
    const copy = partner.assetsDir && path.join(partner.assetsDir, path.basename(new URL(route.request().url()).pathname));
    // Content-hashed names: a rebuild in progress brings the same file back, so wait for it.
    for (let attempt = 0; ; attempt++) {
      const response = await route.fetch();
      if (response.status() !== 404) return route.fulfill({ response });
      if (copy && existsSync(copy)) return route.fulfill({ path: copy });
      if (attempt >= 60) return route.fulfill({ response });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  });
  await page.route(APP_BRIDGE_URL, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: APP_BRIDGE_STAND_IN }));
  await page.route(`${partner.adminUrl}**`, (route) => route.fulfill({ status: 200, contentType: "text/html", body: adminPage(partner, appPath) }));
  await page.goto(partner.adminUrl);
  return admin;
}

function adminPage(partner: PartnerApp, appPath: string): string {
  const src = `${partner.app.url}${appPath}?embedded=1&shop=${partner.shop}&host=${partner.host}&locale=en`;
  return `<!doctype html><html><head><title>Shopify admin (test)</title>
<style>body{margin:0;display:flex;font-family:sans-serif}nav{width:200px;background:#ebebeb;padding:12px}
nav a{display:block;padding:6px;color:#303030}nav a[aria-current]{font-weight:bold}
main{flex:1;position:relative}iframe{border:0;width:100%;height:860px}
#toasts{position:absolute;bottom:16px;left:50%;transform:translateX(-50%)}
#toasts div{background:#303030;color:#fff;padding:8px 16px;border-radius:8px;margin-top:4px}</style></head>
<body><nav aria-label="App navigation"><a id="home" href="#"><strong>Cartback</strong></a><div id="menu"></div></nav>
<main><iframe name="app-iframe" title="Cartback" src="${src}"></iframe><div id="toasts" role="status"></div></main>
<script>
const frame = document.querySelector("iframe");
addEventListener("message", (event) => {
  const data = event.data;
  if (!data || data.source !== "cartback-app-bridge") return;
  window.__cartbackAdminSaw(data);
  const go = (href) => frame.contentWindow.postMessage({ source: "cartback-admin", type: "navigate", href }, "*");
  if (data.type === "nav") {
    const home = data.links.find((l) => l.rel === "home");
    document.getElementById("home").onclick = (e) => { e.preventDefault(); if (home) go(home.href); };
    const menu = document.getElementById("menu");
    menu.replaceChildren(...data.links.filter((l) => l.rel !== "home").map((link) => {
      const a = document.createElement("a");
      a.href = "#" + link.href;
      a.textContent = link.label;
      if (link.href === data.path) a.setAttribute("aria-current", "page");
      a.addEventListener("click", (e) => {
        e.preventDefault();
        go(link.href);
      });
      return a;
    }));
  }
  if (data.type === "toast") {
    const toast = document.createElement("div");
    toast.textContent = data.message;
    document.getElementById("toasts").append(toast);
  }
});
</script></body></html>`;
}
