import type { ShopContext } from "../campaigns/shop-context.ts";
import { CLICK_LINK_TTL_MS, type Tracker, rewriteLinks, shopOrigins, trackedUrl } from "./links.ts";

export interface EmailTracking {
  /** The restore link as the email shows it: always through the click redirect. */
  recovery(url: string): string;
  /** The rendered HTML with the shop's other links tracked, when the shop's click tracking is on. */
  html(html: string): string;
}

/** One email's links, signed for its send; expiring long after any episode's last step. */
export function trackEmailLinks(input: { appUrl: string; secret: string; shop: ShopContext; sendId: string; now?: Date }): EmailTracking {
  const tracker: Tracker = {
    appUrl: input.appUrl,
    secret: input.secret,
    shop: input.shop.shop,
    sendId: input.sendId,
    origins: shopOrigins(input.shop.shop, input.shop.storefrontOrigin),
    expiresAt: (input.now ?? new Date()).getTime() + CLICK_LINK_TTL_MS,
  };
  let recoveryTracked = "";
  return {
    recovery(url) {
      recoveryTracked = trackedUrl(tracker, url, "recovery");
      return recoveryTracked;
    },
    html(html) {
      return input.shop.clickTracking === false ? html : rewriteLinks(html, tracker, new Set([recoveryTracked]));
    },
  };
}
