import { toMinorUnits as decimalToMinor } from "@cartback/core/catalog/money";

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

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/;

// Intl is slow to construct; a shop renders in a handful of currencies at most.
const digitsByCurrency = new Map<string, number>();

export function minorDigits(currency: string): number {
  const known = digitsByCurrency.get(currency);
  if (known !== undefined) return known;
  let digits = 2;
  try {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    // An unknown code keeps the common two digits rather than failing the email.
  }
  if (digitsByCurrency.size < 500) digitsByCurrency.set(currency, digits);
  return digits;
}

function group(integer: string, separator: string): string {
  return integer.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

function formatAmount(minor: number, digits: number, decimals: number, thousands: string, decimal: string): string {
  const negative = minor < 0;
  const major = Math.abs(minor) / 10 ** digits;
  const fixed = major.toFixed(decimals);
  const [integer = "0", fraction] = fixed.split(".");
  const body = group(integer, thousands) + (fraction ? decimal + fraction : "");
  return negative ? `-${body}` : body;
}

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

/** Fills one placeholder; unknown placeholders fall back to `amount` as Shopify does. */
export function applyMoneyFormat(format: string, minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const name = PLACEHOLDER.exec(format)?.[1];
  if (name === undefined) return format;
  const [decimals, thousands, decimal] = PLACEHOLDER_STYLES[name] ?? PLACEHOLDER_STYLES.amount!;
  const value = formatAmount(minor, digits, decimals, thousands, decimal);
  return format.replace(PLACEHOLDER, value);
}

/**
 * Liquid hands filters strings, numbers or nothing. Numbers and digit strings are minor units
 * (Shopify's `item.price` 2999); a string with a decimal point is an amount in major units in
 * the shop's currency (CleverTap's `item.Price` "29.99", KWD "29.990"), read exactly from its
 * digits. Anything else renders empty.
 */
export function toMinorUnits(input: unknown, currency: string): number | undefined {
  if (typeof input === "number") return Number.isFinite(input) ? Math.round(input) : undefined;
  if (typeof input !== "string") return undefined;
  const text = input.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^-?\d+\.\d+$/.test(text)) return decimalToMinor(text, currency) ?? undefined;
  return undefined;
}

export function money(input: unknown, settings: MoneySettings): string {
  const minor = toMinorUnits(input, settings.currency);
  return minor === undefined ? "" : applyMoneyFormat(settings.money_format, minor, settings.currency);
}

export function moneyWithCurrency(input: unknown, settings: MoneySettings): string {
  const minor = toMinorUnits(input, settings.currency);
  if (minor === undefined) return "";
  const format = settings.money_with_currency_format ?? `${settings.money_format} ${settings.currency}`;
  return applyMoneyFormat(format, minor, settings.currency);
}

export function moneyWithoutCurrency(input: unknown, settings: MoneySettings): string {
  const minor = toMinorUnits(input, settings.currency);
  return minor === undefined ? "" : applyMoneyFormat("{{amount}}", minor, settings.currency);
}

/** "$10.00" becomes "$10"; "$10.50" stays, matching Shopify's filter. */
export function moneyWithoutTrailingZeros(input: unknown, settings: MoneySettings): string {
  const minor = toMinorUnits(input, settings.currency);
  if (minor === undefined) return "";
  const digits = minorDigits(settings.currency);
  if (minor % 10 ** digits !== 0) return applyMoneyFormat(settings.money_format, minor, settings.currency);
  const format = settings.money_format.replace(PLACEHOLDER, (whole, name: string) =>
    name.includes("no_decimals") ? whole : `{{${noDecimalsOf(name)}}}`,
  );
  return applyMoneyFormat(format, minor, settings.currency);
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
