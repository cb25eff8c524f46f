/**
 * The one place that knows how money is counted. Shopify sends money as JSON numbers in major
 * units (pixel: 749.95), decimal strings (webhooks, Admin GraphQL: "19.99") or integer minor units
 * (/cart.js: 58000). Cartback keeps an integer count of the currency's minor unit (ISO 4217: 2
 * digits for USD, 0 for JPY, 3 for KWD), read exactly from the digits, never through a float, so
 * "0.29" is 29 and not 28.999…. Printing lives in `money-format.ts`.
 */
export type MoneyResult = { type: "ok"; minor: number } | { type: "invalid"; reason: string };

const CURRENCY = /^[A-Z]{3}$/;
// Building an Intl.NumberFormat costs tens of microseconds: once per code, not per row. Bounded
// because codes can come from untrusted input.
const CACHE_LIMIT = 1_000;
const exponents = new Map<string, number | null>();

/** Minor digits Intl knows for `code`, or null when Intl does not know the code. */
function knownExponent(code: string): number | null {
  const cached = exponents.get(code);
  if (cached !== undefined) return cached;
  let exponent: number | null = null;
  if (CURRENCY.test(code)) {
    try {
      exponent =
        new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = null;
    }
  }
  if (exponents.size < CACHE_LIMIT) exponents.set(code, exponent);
  return exponent;
}

export function isCurrencyCode(code: unknown): code is string {
  return typeof code === "string" && knownExponent(code) !== null;
}

/**
 * Digits after the decimal point in `currency`. A code Intl does not know counts two digits, the
 * common case: ingest rejects unknown codes before this is asked, and a catalog row or an email
 * with an odd code should still show a price rather than fail.
 */
export function currencyExponent(currency: string): number {
  return knownExponent(currency) ?? 2;
}

const DECIMAL = /^(-?)(\d{1,15})(?:\.(\d{0,20}))?$/;

function decimalText(amount: unknown): string | { reason: string } {
  if (typeof amount === "number") {
    if (!Number.isFinite(amount)) return { reason: "must be a finite amount" };
    // String(n) is the shortest decimal that round-trips, so 749.95 stays "749.95".
    return String(amount);
  }
  if (typeof amount === "string") return amount.trim();
  return { reason: "must be a number or a decimal string" };
}

/** Major units (number or decimal string) → minor units, exactly, rounding half away from zero. */
export function majorToMinor(amount: unknown, currency: string): MoneyResult {
  const text = decimalText(amount);
  if (typeof text !== "string") return { type: "invalid", reason: text.reason };
  const match = DECIMAL.exec(text);
  if (!match) return { type: "invalid", reason: `"${text.slice(0, 40)}" is not a decimal amount` };
  const exponent = currencyExponent(currency);
  const fraction = (match[3] ?? "").padEnd(exponent + 1, "0");
  // Half-up on the first dropped digit: Shopify never sends more precision, CSVs might.
  const minor = Number(match[2]! + fraction.slice(0, exponent)) + (Number(fraction[exponent]) >= 5 ? 1 : 0);
  if (!Number.isSafeInteger(minor)) return { type: "invalid", reason: "amount is too large" };
  return { type: "ok", minor: match[1] === "-" && minor !== 0 ? -minor : minor };
}

/** `majorToMinor` for callers where a missing or unreadable amount is simply absent (catalog cells). */
export function majorToMinorOrNull(amount: unknown, currency: string): number | null {
  const result = majorToMinor(amount, currency);
  return result.type === "ok" ? result.minor : null;
}

/** Minor units → the decimal string the shop shows ("29.00", JPY "2900", KWD "29.000"). */
export function minorToMajor(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

export function minorFromInteger(amount: unknown): MoneyResult {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount)) {
    return { type: "invalid", reason: "must be an integer count of minor units" };
  }
  return { type: "ok", minor: amount };
}
