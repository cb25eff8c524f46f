import { existsSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { CartStore, type SimCart } from "./cart.ts";
import { type Catalog, loadCatalog } from "./catalog.ts";
import { createEmbedRenderer } from "./embed.ts";
import { cartPage, homePage, type PageContext, productPage } from "./pages.ts";
import { forwardToApp } from "./proxy.ts";
import { cartInput, cookies, readBody } from "./request.ts";
import { cartFromPermalink, customerFor, loginPage, productImage, validEmail } from "./shopper-routes.ts";

const REPO = path.resolve(import.meta.dirname, "../../..");

export interface StorefrontOptions {
  /** A products.json capture, e.g. fixtures/shopify/generated/storefront-products.json. */
  productsFile: string;
  shop?: string;
  currency?: string;
  port?: number;
  host?: string;
  /** Where /apps/cartback/* goes, signed with `appSecret`. Without it the proxy answers 404. */
  appUrl?: string;
  appSecret?: string;
  /** Customers who can log in at /account/login?customer=<id>; the login form adds more by email. */
  customers?: Array<{ id: string; email: string }>;
  /** Told of each login through the form (the demo registers the customer with its Admin API fake). */
  onLogin?: (customer: { id: string; email: string; acceptsMarketing: boolean }) => void;
  /** Show a cookie banner until the visitor answers (the demo). */
  consentBanner?: boolean;
  /** A line shown at the top of every page. */
  notice?: string;
  /** Consent before the visitor answers the banner. */
  defaultConsent?: { analytics: boolean; marketing: boolean };
  /** Render the app embed (as if the merchant enabled it in the theme editor). */
  embedEnabled?: boolean;
  embedConsentSetting?: string;
  sdkFile?: string;
  blockFile?: string;
}

export interface RunningStorefront {
  url: string;
  server: Server;
  catalog: Catalog;
  carts: CartStore;
  /** While true the app proxy drops connections: the browser sees a network error. */
  control: { proxyDown: boolean };
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const shop = options.shop ?? "cartback-demo.myshopify.com";
  const currency = options.currency ?? "USD";
  const catalog = loadCatalog(options.productsFile);
  const carts = new CartStore(catalog, currency);
  const sdkFile = options.sdkFile ?? path.join(REPO, "extensions/cart-tracker/assets/cartback.js");
  const renderEmbed = createEmbedRenderer(options.blockFile ?? path.join(REPO, "extensions/cart-tracker/blocks/cartback.liquid"));
  const customers = new Map((options.customers ?? []).map((c) => [c.id, c]));
  const control = { proxyDown: false };

  const handler: Handler = async (req, res) => {
    const url = new URL(req.url ?? "/", "http://sim.local");
    const jar = cookies(req);
    const locale = /^\/([a-z]{2}(?:-[a-z]{2})?)(?=\/)/.exec(url.pathname)?.[1];
    const root = locale && locale !== "apps" && locale !== "cdn" ? `/${locale}/` : "/";
    const route = url.pathname.slice(root.length - 1);
    const customer = jar.customer_id ? (customers.get(jar.customer_id) ?? null) : null;
    const consent = jar._tracking_consent ? JSON.parse(decodeURIComponent(jar._tracking_consent)) : (options.defaultConsent ?? { analytics: true, marketing: true });
    let cart = carts.get(jar.cart);
    const ensureCart = (): SimCart => {
      if (!cart) {
        cart = carts.create();
        // Like Shopify's, the cart cookie outlives the browser session (14 days).
        res.setHeader("set-cookie", `cart=${carts.cookieValue(cart)}; Path=/; SameSite=Lax; Max-Age=1209600`);
      }
      return cart;
    };
    const page = (): PageContext => ({
      shop,
      root,
      customer,
      consent,
      currency,
      consentBanner: options.consentBanner === true && !jar._tracking_consent,
      notice: options.notice ?? null,
      embed:
        options.embedEnabled === false
          ? ""
          : renderEmbed({
              shop,
              customer,
              consent: options.embedConsentSetting ?? "analytics_and_marketing",
              assetUrl: "/cdn/",
              cart: cart ? { token: cart.token, items: cart.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })) } : null,
            }),
    });
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
      res.end(body);
    };
    const sendJson = (status: number, body: unknown) => send(status, "application/json; charset=utf-8", JSON.stringify(body));
    const cartError = (status: number, description: string) => sendJson(status, { status, message: "Cart Error", description });

    if (url.pathname.startsWith("/apps/cartback/")) {
      if (control.proxyDown) {
        req.socket.destroy();
        return;
      }
      if (!options.appUrl || !options.appSecret) return send(404, "text/plain", "app proxy not configured");
      const body = await readBody(req);
      const rest = url.pathname.slice("/apps/cartback/".length);
      const answer = await forwardToApp(
        { appUrl: options.appUrl, secret: options.appSecret, shop },
        { method: req.method ?? "GET", rest, query: url.searchParams, contentType: req.headers["content-type"], body },
        customer?.id ?? null,
        new Date(),
      );
      const headers: Record<string, string> = {};
      const retryAfter = answer.headers.get("retry-after");
      if (retryAfter) headers["retry-after"] = retryAfter;
      return send(answer.status, answer.headers.get("content-type") ?? "text/plain", await answer.text(), headers);
    }
    if (url.pathname === "/cdn/cartback.js") {
      if (!existsSync(sdkFile)) return send(404, "text/plain", "SDK not built: npm run build:sdk");
      return send(200, "text/javascript", readFileSync(sdkFile, "utf8"));
    }
    const image = /^\/cdn\/images\/([a-z0-9-]+\.svg)$/.exec(url.pathname);
    if (image) {
      const svg = productImage(catalog, image[1]!);
      return svg ? send(200, "image/svg+xml", svg, { "cache-control": "public, max-age=3600" }) : send(404, "text/plain", "no such image");
    }
    if (route === "/account/login" && req.method === "POST") {
      const form = await cartInput(req.headers["content-type"], await readBody(req), new URLSearchParams());
      const email = form["customer[email]"];
      if (!validEmail(email)) return send(422, "text/html; charset=utf-8", loginPage(page(), "Enter a valid email address."));
      const who = customerFor(customers, email);
      options.onLogin?.({ ...who, acceptsMarketing: form["customer[accepts_marketing]"] === "true" });
      return send(302, "text/plain", "", { location: root, "set-cookie": `customer_id=${encodeURIComponent(who.id)}; Path=/` });
    }
    if (route === "/account/login") {
      const id = url.searchParams.get("customer");
      if (id === null) return send(200, "text/html; charset=utf-8", loginPage(page()));
      return send(302, "text/plain", "", { location: root, "set-cookie": `customer_id=${encodeURIComponent(id)}; Path=/` });
    }
    if (url.pathname === "/account/logout") {
      return send(302, "text/plain", "", { location: root, "set-cookie": "customer_id=; Path=/; Max-Age=0" });
    }
    if (route === "/cart.js" || route === "/cart.json") return sendJson(200, carts.cartJson(ensureCart()));
    const mutation = /^\/cart\/(add|change|update|clear)(\.js)?$/.exec(route);
    if (mutation && (req.method === "POST" || (req.method === "GET" && mutation[1] === "change"))) {
      const [, kind, js] = mutation;
      const input = await cartInput(req.headers["content-type"], await readBody(req), url.searchParams);
      const target = ensureCart();
      const done = (body: unknown) => (js ? sendJson(200, body) : send(302, "text/plain", "", { location: `${root}cart` }));
      if (kind === "add") {
        const items = Array.isArray(input.items)
          ? (input.items as Array<Record<string, unknown>>).map((i) => ({ id: String(i.id), quantity: Number(i.quantity ?? 1), properties: i.properties as Record<string, string> | undefined }))
          : [{ id: String(input.id), quantity: Number(input.quantity ?? 1), properties: input.properties as Record<string, string> | undefined }];
        const result = carts.add(target, items);
        if (result.type === "error") return cartError(result.status, result.description);
        const lines = result.value.map((i) => carts.lineJson(target, i));
        return done(Array.isArray(input.items) ? { items: lines } : lines[0]);
      }
      if (kind === "change") {
        const result = carts.change(target, { id: input.id === undefined ? undefined : String(input.id), line: input.line === undefined ? undefined : Number(input.line) }, Number(input.quantity));
        if (result.type === "error") return cartError(result.status, result.description);
        return done(carts.cartJson(target));
      }
      if (kind === "update") {
        const updates = Object.fromEntries(Object.entries((input.updates as Record<string, unknown>) ?? {}).map(([id, q]) => [id, Number(q)]));
        const result = carts.update(target, updates);
        if (result.type === "error") return cartError(result.status, result.description);
        return done(carts.cartJson(target));
      }
      carts.clear(target);
      return done(carts.cartJson(target));
    }
    if (route === "/cart") return send(200, "text/html; charset=utf-8", cartPage(page(), carts.cartJson(ensureCart())));
    const permalink = /^\/cart\/(\d+:\d+(?:,\d+:\d+)*)$/.exec(route);
    if (permalink && req.method === "GET") {
      const rebuilt = cartFromPermalink(carts, permalink[1]!);
      if (rebuilt.type === "error") return cartError(422, rebuilt.description);
      cart = rebuilt.cart;
      // Shopify lands on the cart with `storefront=true` (else checkout; the sim has none) and keeps the query.
      const query = url.searchParams.toString();
      return send(302, "text/plain", "", {
        location: `${root}cart${query ? `?${query}` : ""}`,
        "set-cookie": `cart=${carts.cookieValue(rebuilt.cart)}; Path=/; SameSite=Lax; Max-Age=1209600`,
      });
    }
    const product = /^\/products\/([^/]+)$/.exec(route);
    if (product) {
      const found = catalog.byHandle.get(decodeURIComponent(product[1]!));
      if (!found) return send(404, "text/html", "<h1>Not found</h1>");
      return send(200, "text/html; charset=utf-8", productPage(page(), found));
    }
    if (route === "/" || route === "") return send(200, "text/html; charset=utf-8", homePage(page(), catalog));
    if (url.pathname === "/favicon.ico") return send(204, "text/plain", "");
    return send(404, "text/html", "<h1>Not found</h1>");
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    server,
    catalog,
    carts,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Browsers hold keep-alive sockets open; a test must not wait for them to idle out.
        server.closeAllConnections();
      }),
  };
}
