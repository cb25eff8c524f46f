import { PIXEL_EVENT_NAMES } from "@cartback/core/events/pixel";

/**
 * Code for Shopify's "custom pixel" (Settings → Customer events → Add custom pixel). Custom
 * apps created in the Shopify admin cannot ship a web pixel extension, so a self-hosted
 * install gets the same events to /collect by pasting this. It forwards Shopify's standard
 * events untouched; the server translates them exactly as it does the extension's.
 */
export function customPixelCode(options: { appUrl: string; shop: string; pixelKey: string }): string {
  return `// Cartback: forwards cart and checkout events for abandoned-cart emails.
const CARTBACK = ${JSON.stringify({ url: `${options.appUrl}/collect`, shop: options.shop, pixelKey: options.pixelKey })};
for (const name of ${JSON.stringify(PIXEL_EVENT_NAMES)}) {
  analytics.subscribe(name, (event) => {
    fetch(CARTBACK.url, {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ shop: CARTBACK.shop, pixelKey: CARTBACK.pixelKey, events: [event] }),
    }).catch(() => {});
  });
}
`;
}

/** The theme editor link that opens the app embed, ready to switch on. */
export function appEmbedLink(shop: string, apiKey: string): string {
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${apiKey}/cartback`;
}
