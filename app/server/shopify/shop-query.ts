import { parseShopFacts, type ShopFactsResult } from "../shops/shop-facts.ts";
import type { AdminClient } from "./admin-client.ts";

/** The store's own settings, as `shop/update` also carries them (see shops/shop-facts.ts). */
export const SHOP_QUERY = `query CartbackShop {
  shop { name contactEmail currencyCode ianaTimezone currencyFormats { moneyFormat moneyWithCurrencyFormat } }
}`;

export interface ShopQueryData {
  shop: {
    name?: unknown;
    contactEmail?: unknown;
    currencyCode?: unknown;
    ianaTimezone?: unknown;
    currencyFormats?: { moneyFormat?: unknown; moneyWithCurrencyFormat?: unknown } | null;
  } | null;
}

const GRAPHQL_NAMES = {
  name: "shop.name", contactEmail: "shop.contactEmail", currency: "shop.currencyCode", timezone: "shop.ianaTimezone",
  moneyFormat: "shop.currencyFormats.moneyFormat", moneyWithCurrencyFormat: "shop.currencyFormats.moneyWithCurrencyFormat",
};

export type ShopQueryResult = ShopFactsResult | { type: "failed"; reason: string };

/** Reads the shop through the Admin API; a failure is a value, with a reason fit for the log. */
export async function queryShopFacts(admin: AdminClient, shop: string, now: Date): Promise<ShopQueryResult> {
  const result = await admin.request<ShopQueryData>(shop, SHOP_QUERY);
  switch (result.type) {
    case "ok": {
      const s = result.data?.shop;
      if (!s) return { type: "failed", reason: "Shopify answered without a shop" };
      return parseShopFacts(
        {
          name: s.name,
          contactEmail: s.contactEmail,
          currency: s.currencyCode,
          timezone: s.ianaTimezone,
          moneyFormat: s.currencyFormats?.moneyFormat,
          moneyWithCurrencyFormat: s.currencyFormats?.moneyWithCurrencyFormat,
        },
        now,
        GRAPHQL_NAMES,
      );
    }
    case "not_installed":
      return { type: "failed", reason: result.reason };
    case "throttled":
      return { type: "failed", reason: `throttled for ${Math.round(result.waitedMs / 1000)} s` };
    case "graphql_errors":
      return { type: "failed", reason: result.errors.map((e) => e.message).join("; ").slice(0, 300) };
    case "http_error":
      return { type: "failed", reason: `HTTP ${result.status}: ${result.message}` };
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled admin result ${JSON.stringify(unreachable)}`);
    }
  }
}
