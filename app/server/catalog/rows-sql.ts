import type { Db, catalogRows } from "@cartback/db";
import type { CatalogEntry } from "@cartback/core/catalog/csv-catalog";
import type { CatalogRow } from "@cartback/core/catalog/row";
import { sql } from "drizzle-orm";
import type { CopyTable, CopyValue } from "./copy-rows.ts";

/** Something that runs SQL: the database handle or a transaction. */
export type Executor = Pick<Db, "execute" | "select" | "insert" | "update" | "delete">;

export interface VersionTarget {
  shop: string;
  catalog: string;
  version: number;
}

/**
 * Writes rows as one INSERT … SELECT FROM json_to_recordset(…) per batch: the batch travels
 * as one JSON array (see json-rows.ts). Per-column arrays cost the pg driver an array literal
 * built element by element, hundreds of MB of short-lived strings per 100k rows, which V8
 * answered by growing the heap. On a clash the newer UpdatedAt wins, so a webhook applied
 * during a sync is not overwritten by older bulk data.
 */
export async function upsertRows(
  db: Executor,
  target: VersionTarget,
  entries: ReadonlyArray<CatalogRow | CatalogEntry>,
  mode: "upsert" | "insert" = "upsert",
): Promise<void> {
  if (entries.length === 0) return;
  await insertJsonRows(db, target, rowsJson(entries), mode);
}

/**
 * `rows` is a JSON array of CatalogRow-shaped objects (CSV entries add `extra`). A Buffer is
 * sent by the pg driver as the json value's bytes, never becoming a JavaScript string;
 * PGlite takes text only.
 */
export async function insertJsonRows(
  db: Executor,
  target: VersionTarget,
  rows: string | Buffer,
  /**
   * "insert" is for a version nothing else writes to (a full sync's): a row already there is
   * kept (a variant the bulk result lists twice), nothing is compared.
   */
  mode: "upsert" | "insert",
): Promise<void> {
  await db.execute(sql`
    insert into catalog_rows (shop, catalog, version, identity, name, image_url, price, compare_at_price, currency,
      product_url, sku, available, inventory_quantity, vendor, product_type, handle, product_id, status, updated_at, extra)
    select ${target.shop}, ${target.catalog}, ${target.version}::int, r.* from json_to_recordset(${rows}::json) as r(
      "Identity" text, "Name" text, "ImageURL" text, "Price" bigint, "CompareAtPrice" bigint, "Currency" text, "ProductURL" text,
      "SKU" text, "Available" boolean, "InventoryQuantity" int, "Vendor" text, "ProductType" text, "Handle" text,
      "ProductId" text, "Status" text, "UpdatedAt" text, "extra" jsonb
    )
    ${mode === "insert" ? sql`on conflict do nothing` : sql`on conflict (shop, catalog, version, identity) do update set
      name = excluded.name, image_url = excluded.image_url, price = excluded.price, compare_at_price = excluded.compare_at_price,
      currency = excluded.currency, product_url = excluded.product_url, sku = excluded.sku, available = excluded.available,
      inventory_quantity = excluded.inventory_quantity, vendor = excluded.vendor, product_type = excluded.product_type,
      handle = excluded.handle, product_id = excluded.product_id, status = excluded.status, updated_at = excluded.updated_at,
      extra = excluded.extra
    where catalog_rows.updated_at is null or excluded.updated_at is null or catalog_rows.updated_at <= excluded.updated_at`}`);
}

/** catalog_rows' columns, in the order rowValues gives them. */
export const ROWS_COPY: CopyTable = {
  table: "catalog_rows",
  columns: ["shop", "catalog", "version", "identity", "name", "image_url", "price", "compare_at_price", "currency", "product_url", "sku",
    "available", "inventory_quantity", "vendor", "product_type", "handle", "product_id", "status", "updated_at"],
};

/** A synced row as a COPY row (see copy-rows.ts). */
export function rowValues(target: VersionTarget, r: CatalogRow): CopyValue[] {
  return [target.shop, target.catalog, target.version, r.Identity, r.Name, r.ImageURL, r.Price, r.CompareAtPrice, r.Currency, r.ProductURL, r.SKU,
    r.Available, r.InventoryQuantity, r.Vendor, r.ProductType, r.Handle, r.ProductId, r.Status, r.UpdatedAt];
}

function rowsJson(entries: ReadonlyArray<CatalogRow | CatalogEntry>): string {
  const parts = entries.map((entry) => storableJson("row" in entry ? { ...entry.row, extra: Object.keys(entry.extra).length > 0 ? entry.extra : null } : entry));
  return `[${parts.join(",")}]`;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * JSON.stringify, except for text PostgreSQL refuses to turn from json into text: a lone
 * surrogate becomes U+FFFD and NUL is dropped, as the driver's UTF-8 encoding and a NUL-free
 * text column would have it. JSON.stringify writes both as \u escapes (as it does other
 * control characters, rare in catalog text), so the common case costs one search.
 */
export function storableJson(row: object): string {
  const json = JSON.stringify(row);
  if (!json.includes("\\u")) return json;
  return JSON.stringify(row, (_key, value: unknown) => (typeof value === "string" ? value.replace(LONE_SURROGATE, "\ufffd").replaceAll("\0", "") : value));
}

export function rowFromRecord(r: typeof catalogRows.$inferSelect): CatalogRow {
  return {
    Identity: r.identity,
    Name: r.name,
    ImageURL: r.imageUrl,
    Price: r.price,
    CompareAtPrice: r.compareAtPrice,
    Currency: r.currency,
    ProductURL: r.productUrl,
    SKU: r.sku,
    Available: r.available,
    InventoryQuantity: r.inventoryQuantity,
    Vendor: r.vendor,
    ProductType: r.productType,
    Handle: r.handle,
    ProductId: r.productId,
    Status: r.status,
    UpdatedAt: r.updatedAt,
  };
}
