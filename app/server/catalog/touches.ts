import { catalogSyncTouches } from "@cartback/db/schema/index";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/row";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "./rows-sql.ts";

/** Notes that a webhook changed `productId` while sync `syncId` was filling its version. */
export async function touchProduct(tx: Executor, shop: string, syncId: string, productId: string): Promise<void> {
  await tx.insert(catalogSyncTouches).values({ shop, syncId, productId }).onConflictDoNothing();
}

/**
 * Before a sync's version goes live: for every product a webhook changed meanwhile, the
 * live rows (current as of that webhook) replace what the export said, deletions included.
 * Runs in the publishing transaction, under the catalog lock that webhooks also take.
 * Returns whether any product was carried over (the version's rows then changed).
 */
export async function carryOverTouches(tx: Executor, shop: string, syncId: string, liveVersion: number, targetVersion: number): Promise<boolean> {
  const [any] = await tx.select({ productId: catalogSyncTouches.productId }).from(catalogSyncTouches)
    .where(and(eq(catalogSyncTouches.shop, shop), eq(catalogSyncTouches.syncId, syncId))).limit(1);
  // Usually none: then the new version's rows need no second look (the `in` would plan a walk over them).
  if (!any) return false;
  const touched = sql`(select product_id from catalog_sync_touches where shop = ${shop} and sync_id = ${syncId})`;
  await tx.execute(sql`
    delete from catalog_rows
    where shop = ${shop} and catalog = ${SHOPIFY_CATALOG} and version = ${targetVersion} and product_id in ${touched}`);
  await tx.execute(sql`
    insert into catalog_rows (shop, catalog, version, identity, name, image_url, price, compare_at_price, currency,
      product_url, sku, available, inventory_quantity, vendor, product_type, handle, product_id, status, updated_at, extra)
    select shop, catalog, ${targetVersion}::int, identity, name, image_url, price, compare_at_price, currency,
      product_url, sku, available, inventory_quantity, vendor, product_type, handle, product_id, status, updated_at, extra
    from catalog_rows
    where shop = ${shop} and catalog = ${SHOPIFY_CATALOG} and version = ${liveVersion} and product_id in ${touched}`);
  await forgetTouches(tx, shop, syncId);
  return true;
}

export async function forgetTouches(db: Executor, shop: string, syncId: string): Promise<void> {
  await db.delete(catalogSyncTouches).where(and(eq(catalogSyncTouches.shop, shop), eq(catalogSyncTouches.syncId, syncId)));
}
