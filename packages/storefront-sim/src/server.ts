import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { CartStore } from "./cart.ts";
import { serveCart } from "./cart-routes.ts";
import { type Catalog, loadCatalog } from "./catalog.ts";
import { serveCheckout } from "./checkout.ts";
import { createEmbedRenderer } from "./embed.ts";
import { Exchange, type Sim } from "./exchange.ts";
import { serveAccount, serveAsset, servePage, serveProxy } from "./site-routes.ts";

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

/** Each request goes to the first area that serves its path. */
async function serve(x: Exchange): Promise<void> {
  if (x.url.pathname.startsWith("/apps/cartback/")) return serveProxy(x);
  if (serveAsset(x) || (await serveAccount(x)) || (await serveCart(x)) || (await serveCheckout(x))) return;
  servePage(x);
}

export async function startStorefront(options: StorefrontOptions): Promise<RunningStorefront> {
  const catalog = loadCatalog(options.productsFile);
  const currency = options.currency ?? "USD";
  const sim: Sim = {
    options,
    shop: options.shop ?? "cartback-demo.myshopify.com",
    currency,
    catalog,
    carts: new CartStore(catalog, currency),
    sdkFile: options.sdkFile ?? path.join(REPO, "extensions/cart-tracker/assets/cartback.js"),
    renderEmbed: createEmbedRenderer(options.blockFile ?? path.join(REPO, "extensions/cart-tracker/blocks/cartback.liquid")),
    customers: new Map((options.customers ?? []).map((c) => [c.id, c])),
    control: { proxyDown: false },
  };
  const { carts, control } = sim;
  const server = createServer((req, res) => {
    serve(new Exchange(sim, req, res)).catch((error: unknown) => {
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
