import { isCurrencyCode } from "../money.ts";
import { DECIMAL_PATTERN, EMAIL_PATTERN, hasUnstorableText, ID_NORMALIZERS, type Normalizer, PHONE_PATTERN, TIMESTAMP_PATTERN } from "./fields.ts";

// The field readers of wire-check.ts: each returns what the field's schema in fields.ts and
// wire.ts outputs for a value it accepts, and throws UNSURE for anything else (checkEvent
// catches it and the schema answers instead).

/** Thrown (never escapes checkEvent): not an Error, so no stack is captured. */
export const UNSURE = Symbol("unsure");

export type Json = Record<string, unknown>;

export function plainObject(value: unknown): Json {
  if (typeof value !== "object" || value === null || Object.getPrototypeOf(value) !== Object.prototype) throw UNSURE;
  return value as Json;
}

/** What findUnstorableText would scan under keys the schema drops: strings and scalars only here. */
export function onlyStorableExtras(raw: Json, keys: ReadonlySet<string>): void {
  for (const key in raw) {
    if (keys.has(key)) continue;
    const value = raw[key];
    if ((typeof value === "object" && value !== null) || !storable(key)) throw UNSURE;
    if (typeof value === "string") text(value);
  }
}

/** NUL or any surrogate: one scan; the exact test (a lone surrogate) runs only on a hit. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what PostgreSQL text cannot hold.
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const storable = (value: string) => !SUSPECT.test(value) || !hasUnstorableText(value);

export function text(value: unknown): string {
  if (typeof value !== "string" || !storable(value)) throw UNSURE;
  return value;
}

export function optional<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === undefined ? undefined : read(value);
}

export function nullish<T>(value: unknown, read: (value: unknown) => T): T | null | undefined {
  return value === undefined || value === null ? value : read(value);
}

export function trimmed(value: unknown, max: number): string {
  const out = text(value).trim();
  if (out.length < 1 || out.length > max) throw UNSURE;
  return out;
}

export function timestamp(value: unknown): Date {
  if (!TIMESTAMP_PATTERN.test(text(value))) throw UNSURE;
  const date = new Date(value as string);
  const year = date.getUTCFullYear();
  if (!(year >= 1970 && year <= 9999)) throw UNSURE;
  return date;
}

/** `normalized()` in fields.ts: a string or a finite number, then the normalizer. */
function normalizedBy(normalize: Normalizer): (value: unknown) => string {
  return (value) => {
    if (typeof value === "string") text(value);
    else if (typeof value !== "number" || !Number.isFinite(value)) throw UNSURE;
    const result = normalize(value);
    if (result.type !== "ok") throw UNSURE;
    return result.value;
  };
}

export const variantId = normalizedBy(ID_NORMALIZERS.variantId);
export const productId = normalizedBy(ID_NORMALIZERS.productId);
export const customerId = normalizedBy(ID_NORMALIZERS.customerId);
export const shopifyId = normalizedBy(ID_NORMALIZERS.orderId);
export const cartToken = normalizedBy(ID_NORMALIZERS.cartToken);
export const checkoutToken = normalizedBy(ID_NORMALIZERS.checkoutToken);

export function currency(value: unknown): string {
  const out = text(value).trim().toUpperCase();
  if (!isCurrencyCode(out)) throw UNSURE;
  return out;
}

export function email(value: unknown): string {
  const out = text(value).trim();
  if (out.length > 254) throw UNSURE;
  const lower = out.toLowerCase();
  if (!EMAIL_PATTERN.test(lower)) throw UNSURE;
  return lower;
}

export function phone(value: unknown): string {
  const out = text(value).trim();
  if (!PHONE_PATTERN.test(out)) throw UNSURE;
  return out;
}

export function int(value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) throw UNSURE;
  return value;
}

export function major(value: unknown): number | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw UNSURE;
    return value;
  }
  if (!DECIMAL_PATTERN.test(text(value))) throw UNSURE;
  return value as string;
}

export const minor = (value: unknown) => int(value, 0, Number.MAX_SAFE_INTEGER);

export function shortText(value: unknown): string {
  if (text(value).length > 500) throw UNSURE;
  return value as string;
}

export function urlText(value: unknown): string {
  if (text(value).length > 2000) throw UNSURE;
  return value as string;
}

export function oneOf(value: unknown, allowed: ReadonlySet<unknown>): unknown {
  if (value !== undefined && !allowed.has(value)) throw UNSURE;
  return value;
}

export function boolean(value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") throw UNSURE;
  return value;
}

export const quantity = (value: unknown, min: number) => (value === undefined ? 1 : int(value, min, 100_000));
