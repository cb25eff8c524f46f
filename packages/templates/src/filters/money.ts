import { currencyExponent, majorToMinorOrNull } from "@cartback/core/money";
import { applyMoneyFormat, withoutDecimals } from "@cartback/core/money-format";

export { applyMoneyFormat };

/**
 * Shopify's money filters on integer minor units, and on decimal strings: CleverTap's
 * `item.Price` is the amount as the shop shows it ("29.00"), so `{{ item.Price | money }}`
 * prints $29.00 as `{{ item.PriceMinor | money }}` does. The shop's money format decides the symbol
 * and separators through Shopify's placeholders; the currency decides how many minor digits
 * an amount has (ISO 4217: 2 for USD, 0 for JPY, 3 for KWD).
 */

export type MoneySettings = {
  money_format: string;
  money_with_currency_format?: string | undefined;
  currency: string;
};

/**
 * Liquid hands filters strings, numbers or nothing. Numbers and digit strings are minor units
 * (Shopify's `item.price` 2999); a string with a decimal point is an amount in major units in
 * the shop's currency (CleverTap's `item.Price` "29.99", KWD "29.990"), read exactly from its
 * digits. Anything else renders empty.
 */
export function liquidAmountToMinor(input: unknown, currency: string): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) ? Math.round(input) : undefined;
  if (typeof input !== "string") return undefined;
  const text = input.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+\.\d+$/.test(text)) return majorToMinorOrNull(text, currency) ?? undefined;
  return undefined;
}

export function money(input: unknown, settings: MoneySettings): string {
  const minor = liquidAmountToMinor(input, settings.currency);
  return minor === undefined ? "" : applyMoneyFormat(settings.money_format, minor, settings.currency);
}

export function moneyWithCurrency(input: unknown, settings: MoneySettings): string {
  const minor = liquidAmountToMinor(input, settings.currency);
  if (minor === undefined) return "";
  const format = settings.money_with_currency_format ?? `${settings.money_format} ${settings.currency}`;
  return applyMoneyFormat(format, minor, settings.currency);
}

export function moneyWithoutCurrency(input: unknown, settings: MoneySettings): string {
  const minor = liquidAmountToMinor(input, settings.currency);
  return minor === undefined ? "" : applyMoneyFormat("{{amount}}", minor, settings.currency);
}

/** "$10.00" becomes "$10"; "$10.50" stays, matching Shopify's filter. */
export function moneyWithoutTrailingZeros(input: unknown, settings: MoneySettings): string {
  const minor = liquidAmountToMinor(input, settings.currency);
  if (minor === undefined) return "";
  if (minor % 10 ** currencyExponent(settings.currency) !== 0) {
    return applyMoneyFormat(settings.money_format, minor, settings.currency);
  }
  return applyMoneyFormat(withoutDecimals(settings.money_format), minor, settings.currency);
}
