import { currencyExponent } from "./money.ts";

/**
 * Prints minor units the way the shop prints them: its money format ("${{amount}}",
 * "{{amount_with_comma_separator}} €", "¥{{amount_no_decimals}}") picks the separators and
 * how many decimals show, as Shopify's `money` filter does; the currency says how many minor
 * digits the integer holds (JPY 0, KWD 3). Used by the email templates, the admin and the CLI.
 */

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/;

/** Shopify's money placeholders: [decimals, thousands separator, decimal separator]. */
const PLACEHOLDER_STYLES: Record<string, readonly [number, string, string]> = {
  amount: [2, ",", "."],
  amount_no_decimals: [0, ",", "."],
  amount_with_comma_separator: [2, ".", ","],
  amount_no_decimals_with_comma_separator: [0, ".", ","],
  amount_with_apostrophe_separator: [2, "'", "."],
  amount_no_decimals_with_space_separator: [0, " ", ","],
  amount_with_space_separator: [2, " ", ","],
  amount_with_period_and_space_separator: [2, " ", "."],
};

/** The digits of |minor| / 10^exponent rounded half up to `decimals`, as [integer, fraction]. */
function roundedDigits(minor: number, exponent: number, decimals: number): [string, string] {
  let digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  if (decimals < exponent) {
    const dropped = exponent - decimals;
    const kept = BigInt(digits.slice(0, -dropped)) + (Number(digits[digits.length - dropped]) >= 5 ? 1n : 0n);
    digits = String(kept).padStart(decimals + 1, "0");
  } else {
    digits += "0".repeat(decimals - exponent);
  }
  return decimals === 0 ? [digits, ""] : [digits.slice(0, -decimals), digits.slice(-decimals)];
}

function formatAmount(minor: number, exponent: number, style: readonly [number, string, string]): string {
  const [decimals, thousands, decimal] = style;
  const [integer, fraction] = roundedDigits(minor, exponent, decimals);
  const body = integer.replace(/\B(?=(\d{3})+(?!\d))/g, thousands) + (fraction ? decimal + fraction : "");
  return minor < 0 ? `-${body}` : body;
}

/** Fills the format's placeholder; an unknown placeholder prints as `amount`, as Shopify does. */
export function applyMoneyFormat(format: string, minor: number, currency: string): string {
  const name = PLACEHOLDER.exec(format)?.[1];
  if (name === undefined) return format;
  const style = PLACEHOLDER_STYLES[name] ?? PLACEHOLDER_STYLES.amount!;
  return format.replace(PLACEHOLDER, formatAmount(minor, currencyExponent(currency), style));
}

/** The same format with its placeholder swapped for the no-decimals one (`money_without_trailing_zeros`). */
export function withoutDecimals(format: string): string {
  return format.replace(PLACEHOLDER, (whole, name: string) => (name.includes("no_decimals") ? whole : `{{${noDecimalsOf(name)}}}`));
}

function noDecimalsOf(name: string): string {
  switch (name) {
    case "amount_with_comma_separator":
      return "amount_no_decimals_with_comma_separator";
    case "amount_with_space_separator":
    case "amount_with_period_and_space_separator":
      return "amount_no_decimals_with_space_separator";
    default:
      return "amount_no_decimals";
  }
}

export interface ShopMoney {
  currency: string;
  moneyFormat: string;
}

/**
 * An amount for people to read (admin pages, the CLI): in the shop's format when it is in the
 * shop's currency; another currency (a multi-currency checkout) prints its own decimals and code,
 * since the shop's symbol would be wrong for it. Shopify's formats may carry HTML; it is dropped.
 */
export function formatMoney(minor: number, currency: string, shop: ShopMoney): string {
  if (currency === shop.currency) return applyMoneyFormat(shop.moneyFormat.replace(/<[^>]*>/g, ""), minor, currency);
  const exponent = currencyExponent(currency);
  return `${formatAmount(minor, exponent, [exponent, ",", "."])} ${currency}`;
}
