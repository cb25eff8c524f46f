import type { Database } from "@cartback/db";
import { catalogRows, shops } from "@cartback/db/schema/index";
import { parseJsonKeepingBigIds } from "@cartback/core/catalog/ids";
import { numericId } from "@cartback/core/catalog/ids";
import { productUpdate, RestProduct, RestProductDeleted } from "@cartback/core/catalog/product-webhook";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/row";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import { claimWebhookDelivery } from "../shopify/webhooks.ts";
import { lockCatalog, refreshRowCount } from "./repository.ts";
import { upsertRows } from "./rows-sql.ts";
import { activeSync } from "./sync-records.ts";
import { touchProduct } from "./touches.ts";

export interface ProductWebhook {
  shop: string;
  webhookId: string;
  topic: string;
  /** The raw body: ids above 2^53 are read from the text, not from a JSON number. */
  raw: string;
}

export type ProductWebhookResult =
  | { type: "applied"; productId: string; rows: number; removed: number }
  | { type: "duplicate" }
  | { type: "sync_off" }
  | { type: "no_catalog" }
  | { type: "bad_payload"; field: string; message: string }
  | { type: "unknown_topic"; topic: string };

const TOPICS = ["products/create", "products/update", "products/delete"] as const;

/**
 * Applies products/create|update|delete to the live catalog. While a full sync runs, the
 * product is also noted so that the sync's publish keeps this change (see touches.ts). The
 * delivery claim sits in the same transaction: a retry after a failure applies again, a
 * duplicate does nothing.
 */
export async function applyProductWebhook(database: Database, hook: ProductWebhook, now: Date): Promise<ProductWebhookResult> {
  if (!(TOPICS as readonly string[]).includes(hook.topic)) return { type: "unknown_topic", topic: hook.topic };
  const parsedBody = parseJsonKeepingBigIds(hook.raw);
  const deleting = hook.topic === "products/delete";
  const parsed = deleting ? RestProductDeleted.safeParse(parsedBody) : RestProduct.safeParse(parsedBody);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { type: "bad_payload", field: issue.path.join(".") || "body", message: issue.message };
  }

  return database.db.transaction(async (tx): Promise<ProductWebhookResult> => {
    if (!(await claimWebhookDelivery(tx, hook))) return { type: "duplicate" };
    const [settings] = await tx.select({ enabled: shops.catalogSyncEnabled }).from(shops).where(eq(shops.shop, hook.shop));
    if (!settings?.enabled) return { type: "sync_off" };
    const catalog = await lockCatalog(tx, hook.shop, SHOPIFY_CATALOG);
    if (!catalog) return { type: "no_catalog" };
    const running = await activeSync(tx, hook.shop, now);
    const versions = [catalog.liveVersion];
    const context = { currency: catalog.currency ?? "USD", storefrontOrigin: catalog.storefrontOrigin ?? `https://${hook.shop}` };
    const inVersions = (productId: string) => and(
      eq(catalogRows.shop, hook.shop), eq(catalogRows.catalog, SHOPIFY_CATALOG),
      inArray(catalogRows.version, versions), eq(catalogRows.productId, productId),
    );

    let productId: string;
    let rows = 0;
    let removed: Array<{ id: string }>;
    if (deleting) {
      const id = numericId(parsed.data.id);
      if (!id) return { type: "bad_payload", field: "id", message: "not a product id" };
      productId = id;
      removed = await tx.delete(catalogRows).where(inVersions(id)).returning({ id: catalogRows.identity });
    } else {
      const update = productUpdate(parsed.data as RestProduct, context);
      if (!update) return { type: "bad_payload", field: "id", message: "not a product id" };
      productId = update.productId;
      for (const version of versions) await upsertRows(tx, { shop: hook.shop, catalog: SHOPIFY_CATALOG, version }, update.rows);
      rows = update.rows.length;
      // Variants no longer on the product; with none kept, every row of the product goes.
      removed = await tx.delete(catalogRows)
        .where(and(inVersions(productId), update.keepVariantIds.length > 0 ? notInArray(catalogRows.identity, update.keepVariantIds) : undefined))
        .returning({ id: catalogRows.identity });
    }
    if (running) await touchProduct(tx, hook.shop, running.id, productId);
    await refreshRowCount(tx, hook.shop, SHOPIFY_CATALOG, catalog.liveVersion);
    return { type: "applied", productId, rows, removed: removed.length };
  });
}
