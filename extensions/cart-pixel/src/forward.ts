import { fromPixelEvent, PIXEL_EVENT_NAMES } from "@cartback/core/events/pixel";
import type { WireEvent } from "@cartback/core/events/wire";

/** The parts of the Web Pixels API we use (the package's own types are `any` for settings). */
export interface PixelApi {
  analytics: { subscribe(name: string, callback: (event: unknown) => void): unknown };
  settings: Record<string, unknown>;
  init: {
    data: { shop?: { myshopifyDomain?: string } | null };
  };
}

export type PostBody = { shop: string; pixelKey: string; events: WireEvent[] };

/**
 * Hands Shopify's standard cart and checkout events to the app, translated by core's one
 * mapping (`fromPixelEvent`): no rules here. The runtime only starts us with the consent
 * declared in shopify.extension.toml. Each event travels alone, right away, with keepalive:
 * a worker has no pagehide of its own and the checkout page may go at any moment.
 * Logins are not claimed here: /collect is unauthenticated, so the server ignores customer
 * ids from it; the SDK reports them through the signed app proxy instead.
 */
export function forwardCartEvents(api: PixelApi, send: typeof fetch): void {
  const collectorUrl = String(api.settings.collectorUrl ?? "");
  const pixelKey = String(api.settings.pixelKey ?? "");
  const shop = api.init.data.shop?.myshopifyDomain ?? "";
  if (!collectorUrl || !pixelKey || !shop) return;

  const post = (events: WireEvent[]): void => {
    const body: PostBody = { shop, pixelKey, events };
    // text/plain keeps this a "simple" CORS request: no preflight from the sandbox's origin.
    send(collectorUrl, { method: "POST", keepalive: true, headers: { "content-type": "text/plain" }, body: JSON.stringify(body) }).catch(
      () => undefined,
    );
  };

  for (const name of PIXEL_EVENT_NAMES) {
    api.analytics.subscribe(name, (event) => {
      const translated = fromPixelEvent(event);
      if (translated.type === "ok") post([translated.event]);
    });
  }
}
