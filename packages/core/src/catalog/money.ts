/**
 * Shopify sends money as decimal strings ("19.99"); catalog rows hold integer minor units
 * in the currency's own exponent (JPY 0, KWD 3). Parsed from the digits, never through a
 * float, so "0.29" is 29 and not 28.999….
 */
const exponents = new Map<string, number>();

export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    // Building an Intl.NumberFormat costs tens of microseconds: once per currency, not per row.
    try {
      exponent = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exponent = 2;
    }
    exponents.set(currency, exponent);
  }
  return exponent;
}

export function toMinorUnits(value: unknown, currency: string): number | null {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : null;
  if (text === null || text === "") return null;
  const match = /^(-)?(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return null;
  const exponent = currencyExponent(currency);
  const fraction = (match[3] ?? "").padEnd(exponent + 1, "0");
  let minor = Number(match[2]) * 10 ** exponent + Number(fraction.slice(0, exponent) || "0");
  // Half-up on the first dropped digit: Shopify never sends more precision, CSVs might.
  if (Number(fraction[exponent]) >= 5) minor += 1;
  if (!Number.isSafeInteger(minor)) return null;
  return match[1] ? -minor : minor;
}

export function fromMinorUnits(minor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  if (exponent === 0) return String(minor);
  const sign = minor < 0 ? "-" : "";
  const digits = String(Math.abs(minor)).padStart(exponent + 1, "0");
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
