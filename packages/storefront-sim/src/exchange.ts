import type { IncomingMessage, ServerResponse } from "node:http";
import type { CartStore, SimCart } from "./cart.ts";
import type { Catalog } from "./catalog.ts";
import type { EmbedContext } from "./embed.ts";
import type { PageContext } from "./pages.ts";
import { cookies } from "./request.ts";
import type { StorefrontOptions } from "./server.ts";

/** What every request of one running storefront shares. */
export interface Sim {
  options: StorefrontOptions;
  shop: string;
  currency: string;
  catalog: Catalog;
  carts: CartStore;
  sdkFile: string;
  renderEmbed: (context: EmbedContext) => string;
  customers: Map<string, { id: string; email: string }>;
  control: { proxyDown: boolean };
}

/** One request as the routes see it: where it is (locale root, route), who sent it, and how to answer. */
export class Exchange {
  readonly url: URL;
  readonly jar: Record<string, string>;
  /** Shopify's locale prefix ("/fr/") or "/": the theme's `Shopify.routes.root`. */
  readonly root: string;
  /** The path under the root ("/cart/add.js"). */
  readonly route: string;
  readonly customer: { id: string; email: string } | null;
  cart: SimCart | null;

  constructor(
    readonly sim: Sim,
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
  ) {
    this.url = new URL(req.url ?? "/", "http://sim.local");
    this.jar = cookies(req);
    const locale = /^\/([a-z]{2}(?:-[a-z]{2})?)(?=\/)/.exec(this.url.pathname)?.[1];
    this.root = locale && locale !== "apps" && locale !== "cdn" ? `/${locale}/` : "/";
    this.route = this.url.pathname.slice(this.root.length - 1);
    this.customer = this.jar.customer_id ? (sim.customers.get(this.jar.customer_id) ?? null) : null;
    this.cart = sim.carts.get(this.jar.cart);
  }

  ensureCart(): SimCart {
    if (!this.cart) {
      this.cart = this.sim.carts.create();
      // Like Shopify's, the cart cookie outlives the browser session (14 days).
      this.res.setHeader("set-cookie", `cart=${this.sim.carts.cookieValue(this.cart)}; Path=/; SameSite=Lax; Max-Age=1209600`);
    }
    return this.cart;
  }

  page(): PageContext {
    const { options, shop, currency } = this.sim;
    const consent = this.jar._tracking_consent
      ? JSON.parse(decodeURIComponent(this.jar._tracking_consent))
      : (options.defaultConsent ?? { analytics: true, marketing: true });
    const cart = this.cart ? { token: this.cart.token, items: this.cart.lines.map((l) => ({ variantId: l.variantId, quantity: l.quantity })) } : null;
    return {
      shop,
      root: this.root,
      customer: this.customer,
      consent,
      currency,
      consentBanner: options.consentBanner === true && !this.jar._tracking_consent,
      notice: options.notice ?? null,
      embed:
        options.embedEnabled === false
          ? ""
          : this.sim.renderEmbed({ shop, customer: this.customer, consent: options.embedConsentSetting ?? "analytics_and_marketing", assetUrl: "/cdn/", cart }),
    };
  }

  send(status: number, type: string, body: string, headers: Record<string, string> = {}): void {
    this.res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...headers });
    this.res.end(body);
  }

  sendJson(status: number, body: unknown): void {
    this.send(status, "application/json; charset=utf-8", JSON.stringify(body));
  }

  /** Shopify's Ajax Cart API error shape. */
  cartError(status: number, description: string): void {
    this.sendJson(status, { status, message: "Cart Error", description });
  }

  html(status: number, body: string): void {
    this.send(status, "text/html; charset=utf-8", body);
  }

  redirect(location: string, cookie?: string): void {
    this.send(302, "text/plain", "", { location, ...(cookie ? { "set-cookie": cookie } : {}) });
  }
}
