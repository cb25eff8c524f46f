import { existsSync, readFileSync } from "node:fs";
import type { Exchange } from "./exchange.ts";
import { homePage, productPage } from "./pages.ts";
import { forwardToApp } from "./proxy.ts";
import { cartInput, readBody } from "./request.ts";
import { customerFor, loginPage, productImage, validEmail } from "./shopper-routes.ts";

/** /apps/cartback/*: signed and forwarded to the app as Shopify's app proxy does. */
export async function serveProxy(x: Exchange) {
  const { options, shop, control } = x.sim;
  if (control.proxyDown) {
    x.req.socket.destroy();
    return;
  }
  if (!options.appUrl || !options.appSecret) return x.send(404, "text/plain", "app proxy not configured");
  const body = await readBody(x.req);
  const answer = await forwardToApp(
    { appUrl: options.appUrl, secret: options.appSecret, shop },
    { method: x.req.method ?? "GET", rest: x.url.pathname.slice("/apps/cartback/".length), query: x.url.searchParams, contentType: x.req.headers["content-type"], body },
    x.customer?.id ?? null,
    new Date(),
  );
  const headers: Record<string, string> = {};
  const retryAfter = answer.headers.get("retry-after");
  if (retryAfter) headers["retry-after"] = retryAfter;
  x.send(answer.status, answer.headers.get("content-type") ?? "text/plain", await answer.text(), headers);
}

/** The SDK bundle and product images under /cdn/. */
export function serveAsset(x: Exchange): boolean {
  if (x.url.pathname === "/cdn/cartback.js") {
    const { sdkFile } = x.sim;
    if (!existsSync(sdkFile)) x.send(404, "text/plain", "SDK not built: npm run build:sdk");
    else x.send(200, "text/javascript", readFileSync(sdkFile, "utf8"));
    return true;
  }
  const image = /^\/cdn\/images\/([a-z0-9-]+\.svg)$/.exec(x.url.pathname);
  if (!image) return false;
  const svg = productImage(x.sim.catalog, image[1]!);
  if (svg) x.send(200, "image/svg+xml", svg, { "cache-control": "public, max-age=3600" });
  else x.send(404, "text/plain", "no such image");
  return true;
}

/** Customer login (form, or ?customer=<id> for tests) and logout, kept in a customer_id cookie. */
export async function serveAccount(x: Exchange): Promise<boolean> {
  if (x.route === "/account/login" && x.req.method === "POST") {
    const form = await cartInput(x.req.headers["content-type"], await readBody(x.req), new URLSearchParams());
    const email = form["customer[email]"];
    if (!validEmail(email)) {
      x.send(422, "text/html; charset=utf-8", loginPage(x.page(), "Enter a valid email address."));
      return true;
    }
    const who = customerFor(x.sim.customers, email);
    x.sim.options.onLogin?.({ ...who, acceptsMarketing: form["customer[accepts_marketing]"] === "true" });
    x.redirect(x.root, `customer_id=${encodeURIComponent(who.id)}; Path=/`);
    return true;
  }
  if (x.route === "/account/login") {
    const id = x.url.searchParams.get("customer");
    if (id === null) x.html(200, loginPage(x.page()));
    else x.redirect(x.root, `customer_id=${encodeURIComponent(id)}; Path=/`);
    return true;
  }
  if (x.url.pathname === "/account/logout") {
    x.redirect(x.root, "customer_id=; Path=/; Max-Age=0");
    return true;
  }
  return false;
}

/** The home page, product pages, and 404 for anything else. */
export function servePage(x: Exchange) {
  const product = /^\/products\/([^/]+)$/.exec(x.route);
  if (product) {
    const found = x.sim.catalog.byHandle.get(decodeURIComponent(product[1]!));
    if (!found) return x.send(404, "text/html", "<h1>Not found</h1>");
    return x.html(200, productPage(x.page(), found));
  }
  if (x.route === "/" || x.route === "") return x.html(200, homePage(x.page(), x.sim.catalog));
  if (x.url.pathname === "/favicon.ico") return x.send(204, "text/plain", "");
  x.send(404, "text/html", "<h1>Not found</h1>");
}
