import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";

const SHOP_URL = /^https:\/\/([a-z0-9][a-z0-9-]*\.myshopify\.com)(\/.*)?$/;

/**
 * SHOPIFY_ADMIN_API_ORIGIN for the Shopify library's own HTTP calls (token exchange, the
 * optional-scopes query): `https://{shop}/admin/…` goes to `{origin}/admin/…`, so a test or a
 * local fake sees every call the app makes. Config refuses the variable in production; other
 * URLs pass unchanged. The node adapter installs globalThis.fetch at import, hence the setter.
 */
export function routeShopifyLibraryTo(origin: string): void {
  const fetchDirect = globalThis.fetch;
  setAbstractFetchFunc((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const match = SHOP_URL.exec(url);
    if (!match) return fetchDirect(input, init);
    return fetchDirect(`${origin}${match[2] ?? "/"}`, init);
  });
}
