import type { Database, Db } from "@cartback/db";
import { shops } from "@cartback/db/schema/index";
import { type CatalogEntry, catalogCsvHeader, catalogCsvLine, type CsvRowError, parseCatalogCsv } from "@cartback/core/catalog/csv-catalog";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/names";
import { eq } from "drizzle-orm";
import { discardVersion, ensureCatalog, findCatalog, liveRowPages, publishVersion, reserveVersion } from "./repository.ts";
import { rowFromRecord, upsertRows } from "./rows-sql.ts";

export const CATALOG_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const MAX_CSV_BYTES = 50 * 1024 * 1024;

export type CsvImportResult =
  | { type: "imported"; catalog: string; rows: number }
  | { type: "invalid_name"; message: string }
  | { type: "reserved_name" }
  | { type: "catalog_kind_mismatch" }
  | { type: "invalid_csv"; errors: CsvRowError[] };

/**
 * Replaces a merchant catalog with a CleverTap-style CSV. The whole file is validated
 * before anything is written, and the rows land in a fresh version published in one
 * transaction: a bad file changes nothing.
 */
export async function importCatalogCsv(database: Database, shop: string, name: string, text: string): Promise<CsvImportResult> {
  if (!CATALOG_NAME.test(name)) return { type: "invalid_name", message: "use lowercase letters, digits, - and _ (up to 63)" };
  if (name === SHOPIFY_CATALOG) return { type: "reserved_name" };
  const { db } = database;
  const [settings] = await db.select({ currency: shops.currency }).from(shops).where(eq(shops.shop, shop));
  const parsed = parseCatalogCsv(text, { currency: settings?.currency ?? "USD" });
  if (parsed.type === "invalid") return { type: "invalid_csv", errors: parsed.errors };
  const existing = await findCatalog(db, shop, name);
  if (existing && existing.kind !== "csv") return { type: "catalog_kind_mismatch" };
  await ensureCatalog(db, shop, name, "csv");
  const version = await reserveVersion(db, shop, name);
  const extraColumns = extraColumnsOf(parsed.entries);
  try {
    const rows = await db.transaction(async (tx) => {
      for (let i = 0; i < parsed.entries.length; i += 5000) {
        await upsertRows(tx, { shop, catalog: name, version }, parsed.entries.slice(i, i + 5000));
      }
      return publishVersion(tx, shop, name, version, extraColumns);
    });
    return { type: "imported", catalog: name, rows };
  } catch (error) {
    await discardVersion(db, shop, name, version).catch(() => {});
    throw error;
  }
}

function extraColumnsOf(entries: CatalogEntry[]): string[] {
  const names = new Set<string>();
  for (const entry of entries) for (const key of Object.keys(entry.extra)) names.add(key);
  return [...names];
}

/** The live rows of any catalog as CSV, page by page (never the whole catalog in memory). */
export async function* exportCatalogCsv(db: Db, shop: string, name: string): AsyncGenerator<string> {
  const catalog = await findCatalog(db, shop, name);
  if (!catalog) return;
  const extra = catalog.extraColumns;
  yield catalogCsvHeader(extra);
  for await (const page of liveRowPages(db, shop, name, catalog.liveVersion)) {
    yield page.map((record) => catalogCsvLine({ row: rowFromRecord(record), extra: record.extra ?? {} }, extra)).join("");
  }
}
