import type { Context, FilterImplOptions } from "liquidjs";
import { defaultFilter } from "./default.ts";
import { imageUrl, imgUrl } from "./image.ts";
import { type MoneySettings, money, moneyWithCurrency, moneyWithoutCurrency, moneyWithoutTrailingZeros } from "./money.ts";

/**
 * The shop's formats come from the render scope the server built, never from template
 * variables: `{% assign shop = … %}` writes to a different scope, so a template cannot
 * make the money filters lie about the currency.
 */
/** What liquidjs binds `this` to inside a filter (its own type is not exported). */
type FilterThis = { context: Context };

const FALLBACK: MoneySettings = { money_format: "{{amount}}", currency: "USD" };

function moneySettings(impl: FilterThis): MoneySettings {
  const shop = (impl.context.environments as { shop?: Partial<MoneySettings> }).shop;
  // The scope's shop object already has the right shape; reuse it rather than copy it per call.
  return typeof shop?.money_format === "string" && typeof shop.currency === "string" ? (shop as MoneySettings) : FALLBACK;
}

/** Filters Shopify merchants expect, added to (and overriding) liquidjs's standard set. */
export const cartbackFilters: Record<string, FilterImplOptions> = {
  money(this: FilterThis, value: unknown) {
    return money(value, moneySettings(this));
  },
  money_with_currency(this: FilterThis, value: unknown) {
    return moneyWithCurrency(value, moneySettings(this));
  },
  money_without_currency(this: FilterThis, value: unknown) {
    return moneyWithoutCurrency(value, moneySettings(this));
  },
  money_without_trailing_zeros(this: FilterThis, value: unknown) {
    return moneyWithoutTrailingZeros(value, moneySettings(this));
  },
  default: defaultFilter,
  img_url: imgUrl,
  image_url: imageUrl,
};
