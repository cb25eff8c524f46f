import "@shopify/shopify-app-remix/adapters/node";
import { sessionTable } from "@cartback/db";
import { type AppLoadContext, redirect } from "@remix-run/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { DrizzleSessionStoragePostgres } from "@shopify/shopify-app-session-storage-drizzle";
import { isAdminSignedIn } from "./server/admin-auth/session.ts";
import { afterInstall, installSettled } from "./server/shopify/after-install.ts";
import { routeShopifyLibraryTo } from "./server/shopify/library-origin.ts";
import type { Runtime } from "./server/runtime.ts";

/**
 * Shopify configuration for both install modes. Partner apps authenticate through
 * shopifyApp() (OAuth, session tokens, App Bridge). Self-hosted custom apps, and a fresh
 * install with nothing configured yet, use the standalone admin behind ADMIN_PASSWORD.
 * Routes import only `authenticateAdmin` (and `login` on the auth route).
 */
// A version the library knows (it lists up to July26, 2026-07; it is used for OAuth and session tokens only here); our own Admin client and webhooks use 2026-10.
const LIBRARY_API_VERSION = ApiVersion.April26;

function createShopify(runtime: Runtime) {
  const { mode } = runtime.config;
  if (mode.type !== "partner") return null;
  if (runtime.config.adminApiOrigin) routeShopifyLibraryTo(runtime.config.adminApiOrigin);
  return shopifyApp({
    apiKey: mode.apiKey,
    apiSecretKey: mode.apiSecret,
    appUrl: mode.appUrl,
    scopes: mode.scopes,
    apiVersion: LIBRARY_API_VERSION,
    authPathPrefix: "/auth",
    distribution: AppDistribution.AppStore,
    sessionStorage: new DrizzleSessionStoragePostgres(runtime.database.db, sessionTable),
    future: { unstable_newEmbeddedAuthStrategy: true },
    hooks: {
      afterAuth: async ({ session }) => {
        await afterInstall(runtime, session.shop);
      },
    },
  });
}

type Shopify = NonNullable<ReturnType<typeof createShopify>>;
const instances = new WeakMap<Runtime, Shopify | null>();

export function shopifyFor(runtime: Runtime): Shopify | null {
  if (!instances.has(runtime)) instances.set(runtime, createShopify(runtime));
  return instances.get(runtime) ?? null;
}

export type AdminContext =
  | { type: "embedded"; shop: string; apiKey: string }
  | { type: "standalone"; shop: string }
  | { type: "unconfigured"; shop: null };

/** Every admin loader/action starts here. Throws a redirect/401 Response when not signed in. */
export async function authenticateAdmin(request: Request, context: AppLoadContext): Promise<AdminContext> {
  const { runtime } = context;
  const { mode } = runtime.config;
  if (mode.type === "partner") {
    const { session } = await shopifyFor(runtime)!.authenticate.admin(request);
    await installSettled(runtime, session.shop);
    return { type: "embedded", shop: session.shop, apiKey: mode.apiKey };
  }
  if (!(await isAdminSignedIn(runtime, request))) {
    const url = new URL(request.url);
    throw redirect(`/auth/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (mode.type === "self-hosted") {
    return { type: "standalone", shop: mode.shop };
  }
  return { type: "unconfigured", shop: null };
}

/**
 * The optional scopes (shopify.app.toml `optional_scopes`) this merchant has not granted, for
 * the embedded admin to offer. Empty outside partner mode, or when Shopify cannot say (the
 * admin still works; the banner just waits for the next load).
 */
export async function missingOptionalScopes(request: Request, context: AppLoadContext): Promise<string[]> {
  const shopify = shopifyFor(context.runtime);
  if (!shopify) return [];
  const { scopes, session } = await shopify.authenticate.admin(request);
  try {
    const detail = await scopes.query();
    return detail.optional.filter((scope) => !detail.granted.includes(scope));
  } catch (error) {
    context.runtime.logger.warn({ shop: session.shop, err: error }, "could not read the granted scopes");
    return [];
  }
}

/** Asks Shopify to grant optional scopes: throws App Bridge's redirect to the grant screen. */
export async function requestOptionalScopes(request: Request, context: AppLoadContext, wanted: string[]): Promise<void> {
  const shopify = shopifyFor(context.runtime);
  if (!shopify) throw redirect("/app");
  const { scopes } = await shopify.authenticate.admin(request);
  await scopes.request(wanted);
}

/** Partner-mode OAuth login (the /auth/login form posts a shop domain). */
export async function partnerLogin(runtime: Runtime, request: Request) {
  const shopify = shopifyFor(runtime);
  if (!shopify) throw redirect("/auth/login");
  return shopify.login(request);
}

export function addDocumentResponseHeaders(runtime: Runtime, request: Request, headers: Headers): void {
  const shopify = shopifyFor(runtime);
  if (shopify) shopify.addDocumentResponseHeaders(request, headers);
  else {
    // The standalone admin is never framed.
    headers.set("X-Frame-Options", "DENY");
    headers.set("Content-Security-Policy", "frame-ancestors 'none'");
  }
}
