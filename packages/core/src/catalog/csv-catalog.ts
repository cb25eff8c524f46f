import { csvLine, parseCsv } from "./csv.ts";
import { currencyExponent, majorToMinorOrNull, minorToMajor } from "../money.ts";
import type { CatalogRow } from "./row.ts";

/** Column order of exports; also the known columns of imports (others are kept as extras). */
export const CATALOG_COLUMNS = [
  "Identity", "Name", "ImageURL", "Price", "CompareAtPrice", "Currency", "ProductURL", "SKU",
  "Available", "InventoryQuantity", "Vendor", "ProductType", "Handle", "ProductId", "Status", "UpdatedAt",
] as const satisfies ReadonlyArray<keyof CatalogRow>;

const REQUIRED = ["Identity", "Name", "ImageURL"] as const;

export interface CatalogEntry {
  row: CatalogRow;
  /** Merchant columns CleverTap allows beyond the known ones, exported back unchanged. */
  extra: Record<string, string>;
}

export interface CsvRowError {
  line: number;
  column: string | null;
  message: string;
}

export type CatalogCsvImport =
  | { type: "ok"; entries: CatalogEntry[] }
  | { type: "invalid"; errors: CsvRowError[] };

const MAX_ERRORS = 100;

export function parseCatalogCsv(text: string, defaults: { currency: string }): CatalogCsvImport {
  const parsed = parseCsv(text);
  if (parsed.type === "invalid") return { type: "invalid", errors: [{ line: parsed.line, column: null, message: parsed.reason }] };
  const [header, ...records] = parsed.records;
  if (!header) return { type: "invalid", errors: [{ line: 1, column: null, message: "the file is empty" }] };
  const columns = header.fields.map((name) => name.trim());
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    return { type: "invalid", errors: [{ line: header.line, column: missing[0]!, message: `missing required column ${missing.join(", ")}` }] };
  }
  const duplicate = columns.find((name, i) => columns.indexOf(name) !== i);
  if (duplicate) return { type: "invalid", errors: [{ line: header.line, column: duplicate, message: "column appears twice" }] };

  const errors: CsvRowError[] = [];
  const entries: CatalogEntry[] = [];
  const seen = new Map<string, number>();
  for (const record of records) {
    if (record.fields.length !== columns.length) {
      errors.push({ line: record.line, column: null, message: `has ${record.fields.length} fields, the header has ${columns.length}` });
    } else {
      const values = new Map(columns.map((name, i) => [name, record.fields[i]!.trim()]));
      const result = catalogEntry(values, defaults.currency);
      if (typeof result === "string" || "column" in result) {
        const failure = typeof result === "string" ? { column: null, message: result } : result;
        errors.push({ line: record.line, ...failure });
      } else {
        const earlier = seen.get(result.row.Identity);
        if (earlier) errors.push({ line: record.line, column: "Identity", message: `duplicates line ${earlier}` });
        else {
          seen.set(result.row.Identity, record.line);
          entries.push(result);
        }
      }
    }
    if (errors.length >= MAX_ERRORS) break;
  }
  return errors.length > 0 ? { type: "invalid", errors } : { type: "ok", entries };
}

type Failure = { column: string; message: string };

function catalogEntry(values: Map<string, string>, defaultCurrency: string): CatalogEntry | Failure {
  const get = (name: string) => values.get(name) ?? "";
  const orNull = (name: string) => get(name) || null;
  const identity = get("Identity");
  if (!/^\d+$/.test(identity)) return { column: "Identity", message: "must be a variant id (digits only)" };
  if (!get("Name")) return { column: "Name", message: "is required" };
  const image = get("ImageURL");
  if (image && !/^https?:\/\/\S+$/.test(image)) return { column: "ImageURL", message: "must be an http(s) URL" };
  const currency = (get("Currency") || defaultCurrency).toUpperCase();
  if (!/^[A-Z]{3}$/.test(currency)) return { column: "Currency", message: "must be a 3-letter ISO code" };
  const money = (name: string): number | null | Failure => {
    if (!get(name)) return null;
    const minor = majorToMinorOrNull(get(name), currency);
    if (minor === null) return { column: name, message: "must be a decimal amount like 29.99" };
    const problem = priceProblem(get(name), currency);
    return problem ? { column: name, message: problem } : minor;
  };
  const price = money("Price");
  if (isFailure(price)) return price;
  const compareAt = money("CompareAtPrice");
  if (isFailure(compareAt)) return compareAt;
  const available = parseBoolean(get("Available"));
  if (available === undefined) return { column: "Available", message: "must be true or false" };
  const quantityText = get("InventoryQuantity");
  if (quantityText && !/^-?\d+$/.test(quantityText)) return { column: "InventoryQuantity", message: "must be a whole number" };
  const productId = orNull("ProductId");
  if (productId && !/^\d+$/.test(productId)) return { column: "ProductId", message: "must be digits only" };
  const extra: Record<string, string> = {};
  for (const [name, value] of values) {
    if (!(CATALOG_COLUMNS as readonly string[]).includes(name) && name !== "") extra[name] = value;
  }
  return {
    row: {
      Identity: identity,
      Name: get("Name"),
      ImageURL: image || null,
      Price: price,
      CompareAtPrice: compareAt,
      Currency: currency,
      ProductURL: orNull("ProductURL"),
      SKU: orNull("SKU"),
      Available: available,
      InventoryQuantity: quantityText ? Number(quantityText) : null,
      Vendor: orNull("Vendor"),
      ProductType: orNull("ProductType"),
      Handle: orNull("Handle"),
      ProductId: productId,
      Status: orNull("Status"),
      UpdatedAt: orNull("UpdatedAt"),
    },
    extra,
  };
}

/**
 * A price the shop could not charge: majorToMinor reads "-5" and rounds "29.999", which suits
 * Shopify's own amounts, but a merchant's file with either is a mistake to show, not to fix.
 * Trailing zeros past the exponent ("29.990") are exact and pass.
 */
function priceProblem(text: string, currency: string): string | null {
  if (text.startsWith("-")) return "must not be negative";
  const exponent = currencyExponent(currency);
  const fraction = (text.split(".")[1] ?? "").replace(/0+$/, "");
  if (fraction.length <= exponent) return null;
  return exponent === 0
    ? `must be a whole amount: ${currency} has no minor unit`
    : `has more than ${exponent} decimal places, which ${currency} does not have`;
}

function isFailure(value: number | null | Failure): value is Failure {
  return typeof value === "object" && value !== null;
}

/** Empty means available: merchant catalogs rarely track stock. */
function parseBoolean(text: string): boolean | undefined {
  const value = text.toLowerCase();
  if (value === "" || value === "true" || value === "1" || value === "yes") return true;
  if (value === "false" || value === "0" || value === "no") return false;
  return undefined;
}

export function catalogCsvHeader(extraColumns: string[]): string {
  return csvLine([...CATALOG_COLUMNS, ...extraColumns]);
}

export function catalogCsvLine(entry: CatalogEntry, extraColumns: string[]): string {
  const { row } = entry;
  const values = CATALOG_COLUMNS.map((column) => {
    if ((column === "Price" || column === "CompareAtPrice") && row[column] !== null) {
      return minorToMajor(row[column], row.Currency);
    }
    return row[column];
  });
  return csvLine([...values, ...extraColumns.map((name) => entry.extra[name] ?? "")]);
}
