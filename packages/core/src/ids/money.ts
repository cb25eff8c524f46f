/**
 * Money arrives as JSON numbers in major units (pixel: 749.95), decimal strings (webhooks,
 * Admin GraphQL: "19.99") or integer minor units (/cart.js: 58000). Internally it is an
 * integer count of the currency's minor unit (2 digits for USD, 0 for JPY, 3 for KWD).
 */
export type MoneyResult = { type: "ok"; minor: number } | { type: "invalid"; reason: string };

const CURRENCY = /^[A-Z]{3}$/;
const exponents = new Map<string, number>();

const known = new Map<string, boolean>();

export function isCurrencyCode(code: unknown): code is string {
  if (typeof code !== "string" || !CURRENCY.test(code)) return false;
  let valid = known.get(code);
  if (valid === undefined) {
    // Constructing a formatter is slow (~20 µs): remember the answer per code.
    try {
      new Intl.NumberFormat("en", { style: "currency", currency: code });
      valid = true;
    } catch {
      valid = false;
    }
    known.set(code, valid);
  }
  return valid;
}

/** Digits after the decimal point in `currency` (ISO 4217, as the platform's Intl knows it). */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

const DECIMAL = /^(-?)(\d{1,15})(?:\.(\d{1,20}))?$/;

/** Major units (number or decimal string) → minor units, exactly, rounding half away from zero. */
export function majorToMinor(amount: unknown, currency: string): MoneyResult {
  let text: string;
  if (typeof amount === "number") {
    if (!Number.isFinite(amount)) return { type: "invalid", reason: "must be a finite amount" };
    // String(n) is the shortest decimal that round-trips, so 749.95 stays "749.95".
    text = String(amount);
  } else if (typeof amount === "string") {
    text = amount.trim();
  } else {
    return { type: "invalid", reason: "must be a number or a decimal string" };
  }
  const match = DECIMAL.exec(text);
  if (!match) return { type: "invalid", reason: `"${text.slice(0, 40)}" is not a decimal amount` };
  const exponent = currencyExponent(currency);
  const sign = match[1] === "-" ? -1 : 1;
  const fraction = (match[3] ?? "").padEnd(exponent + 1, "0");
  const kept = Number(match[2]! + fraction.slice(0, exponent));
  const roundUp = Number(fraction[exponent] ?? "0") >= 5 ? 1 : 0;
  const minor = kept + roundUp;
  if (!Number.isSafeInteger(minor)) return { type: "invalid", reason: "amount is too large" };
  return { type: "ok", minor: sign * minor === 0 ? 0 : sign * minor };
}

export function minorFromInteger(amount: unknown): MoneyResult {
  if (typeof amount !== "number" || !Number.isSafeInteger(amount)) {
    return { type: "invalid", reason: "must be an integer count of minor units" };
  }
  return { type: "ok", minor: amount };
}
