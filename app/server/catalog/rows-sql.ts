import type { Db, catalogRows } from "@cartback/db";
import type { CatalogEntry } from "@cartback/core/catalog/csv-catalog";
import type { CatalogRow } from "@cartback/core/catalog/row";
import { param, sql } from "drizzle-orm";

/** Something that runs SQL: the database handle or a transaction. */
export type Executor = Pick<Db, "execute" | "select" | "insert" | "update" | "delete">;

export interface VersionTarget {
  shop: string;
  catalog: string;
  version: number;
}

/**
 * Writes rows as one INSERT … SELECT FROM unnest(…) per batch: one parameter per column
 * instead of one per value, which is what makes 100k-row syncs fast. On a clash the newer
 * UpdatedAt wins, so a webhook applied during a sync is not overwritten by older bulk data.
 */
export async function upsertRows(
  db: Executor,
  target: VersionTarget,
  entries: ReadonlyArray<CatalogRow | CatalogEntry>,
  /** "insert" skips conflict handling, for a version nothing else writes to (a full sync's). */
  mode: "upsert" | "insert" = "upsert",
): Promise<void> {
  if (entries.length === 0) return;
  const cols = {
    identity: [] as string[], name: [] as string[], imageUrl: [] as (string | null)[], price: [] as (number | null)[],
    compareAtPrice: [] as (number | null)[], currency: [] as string[], productUrl: [] as (string | null)[], sku: [] as (string | null)[],
    available: [] as boolean[], inventoryQuantity: [] as (number | null)[], vendor: [] as (string | null)[], productType: [] as (string | null)[],
    handle: [] as (string | null)[], productId: [] as (string | null)[], status: [] as (string | null)[], updatedAt: [] as (string | null)[],
    extra: [] as (string | null)[],
  };
  for (const entry of entries) {
    const row = "row" in entry ? entry.row : entry;
    cols.identity.push(row.Identity);
    cols.name.push(row.Name);
    cols.imageUrl.push(row.ImageURL);
    cols.price.push(row.Price);
    cols.compareAtPrice.push(row.CompareAtPrice);
    cols.currency.push(row.Currency);
    cols.productUrl.push(row.ProductURL);
    cols.sku.push(row.SKU);
    cols.available.push(row.Available);
    cols.inventoryQuantity.push(row.InventoryQuantity);
    cols.vendor.push(row.Vendor);
    cols.productType.push(row.ProductType);
    cols.handle.push(row.Handle);
    cols.productId.push(row.ProductId);
    cols.status.push(row.Status);
    cols.updatedAt.push(row.UpdatedAt);
    cols.extra.push("extra" in entry && Object.keys(entry.extra).length > 0 ? JSON.stringify(entry.extra) : null);
  }
  await db.execute(sql`
    insert into catalog_rows (shop, catalog, version, identity, name, image_url, price, compare_at_price, currency,
      product_url, sku, available, inventory_quantity, vendor, product_type, handle, product_id, status, updated_at, extra)
    select ${target.shop}, ${target.catalog}, ${target.version}::int, u.* from unnest(
      ${param(cols.identity)}::text[], ${param(cols.name)}::text[], ${param(cols.imageUrl)}::text[], ${param(cols.price)}::bigint[],
      ${param(cols.compareAtPrice)}::bigint[], ${param(cols.currency)}::text[], ${param(cols.productUrl)}::text[], ${param(cols.sku)}::text[],
      ${param(cols.available)}::boolean[], ${param(cols.inventoryQuantity)}::int[], ${param(cols.vendor)}::text[], ${param(cols.productType)}::text[],
      ${param(cols.handle)}::text[], ${param(cols.productId)}::text[], ${param(cols.status)}::text[], ${param(cols.updatedAt)}::text[],
      ${param(cols.extra)}::jsonb[]
    ) as u
    ${mode === "insert" ? sql`` : sql`on conflict (shop, catalog, version, identity) do update set
      name = excluded.name, image_url = excluded.image_url, price = excluded.price, compare_at_price = excluded.compare_at_price,
      currency = excluded.currency, product_url = excluded.product_url, sku = excluded.sku, available = excluded.available,
      inventory_quantity = excluded.inventory_quantity, vendor = excluded.vendor, product_type = excluded.product_type,
      handle = excluded.handle, product_id = excluded.product_id, status = excluded.status, updated_at = excluded.updated_at,
      extra = excluded.extra
    where catalog_rows.updated_at is null or excluded.updated_at is null or catalog_rows.updated_at <= excluded.updated_at`}`);
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
