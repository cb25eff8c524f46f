import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Named catalogs per shop: `shopify-catalog` (Catalog Sync) and merchant CSV catalogs.
 * Rows are written under a version; readers see `live_version` only. A full sync or a CSV
 * import fills a fresh version and flips `live_version` in one transaction, so the previous
 * catalog stays whole until the new one is complete, and vanished rows go with the old version.
 */
export const catalogs = pgTable(
  "catalogs",
  {
    shop: text("shop").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["shopify", "csv"] }).notNull(),
    liveVersion: integer("live_version").notNull().default(0),
    nextVersion: integer("next_version").notNull().default(1),
    rowCount: integer("row_count").notNull().default(0),
    /** Merchant columns beyond the known ones, in file order (CSV catalogs). */
    extraColumns: jsonb("extra_columns").$type<string[]>().notNull().default([]),
    /** Shop facts rows are built with, from the last sync (webhooks reuse them). */
    currency: text("currency"),
    storefrontOrigin: text("storefront_origin"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.name] })],
);

export const catalogRows = pgTable(
  "catalog_rows",
  {
    shop: text("shop").notNull(),
    catalog: text("catalog").notNull(),
    version: integer("version").notNull(),
    identity: text("identity").notNull(),
    name: text("name").notNull(),
    imageUrl: text("image_url"),
    price: bigint("price", { mode: "number" }),
    compareAtPrice: bigint("compare_at_price", { mode: "number" }),
    currency: text("currency").notNull(),
    productUrl: text("product_url"),
    sku: text("sku"),
    available: boolean("available").notNull(),
    inventoryQuantity: integer("inventory_quantity"),
    vendor: text("vendor"),
    productType: text("product_type"),
    handle: text("handle"),
    productId: text("product_id"),
    status: text("status"),
    /** ISO 8601 UTC text: compared as text to keep the newer of a webhook and a sync. */
    updatedAt: text("updated_at"),
    extra: jsonb("extra").$type<Record<string, string>>(),
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.catalog, t.version, t.identity] }),
    index("catalog_rows_product_idx").on(t.shop, t.catalog, t.version, t.productId),
  ],
);

/** One row per full sync; the newest per shop is what the admin and CLI show. */
export const catalogSyncs = pgTable(
  "catalog_syncs",
  {
    id: text("id").primaryKey(),
    shop: text("shop").notNull(),
    status: text("status", { enum: ["running", "ingesting", "completed", "failed"] }).notNull(),
    bulkOperationId: text("bulk_operation_id"),
    targetVersion: integer("target_version").notNull(),
    /** JSONL objects read so far, and Shopify's objectCount once known. */
    processed: integer("processed").notNull().default(0),
    total: integer("total"),
    rows: integer("rows").notNull().default(0),
    errorCode: text("error_code"),
    error: text("error"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("catalog_syncs_shop_idx").on(t.shop, t.startedAt)],
);

/**
 * Products changed by webhooks while a full sync was running. The sync's version was filled
 * from an export that may predate those changes, so at publish these products are copied
 * from the live version instead (deletions included).
 */
export const catalogSyncTouches = pgTable(
  "catalog_sync_touches",
  {
    shop: text("shop").notNull(),
    syncId: text("sync_id").notNull(),
    productId: text("product_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.syncId, t.productId] })],
);

/**
 * A full sync's overflow, deleted when the sync ends. Shopify's bulk JSONL may list a variant
 * far from its product; the sync keeps only a bounded window of products in memory and spills
 * the rest here (products pushed out of the window, variants whose product is not in it), then
 * joins the spilled variants to their products in pages. Memory stays flat in catalog size.
 * The table is UNLOGGED (migration 0021; drizzle cannot declare it): scratch writes no WAL.
 */
export const catalogSyncStaging = pgTable(
  "catalog_sync_staging",
  {
    shop: text("shop").notNull(),
    syncId: text("sync_id").notNull(),
    kind: text("kind", { enum: ["product", "variant"] }).notNull(),
    /** The product's or the variant's numeric id. */
    key: text("key").notNull(),
    /** A variant's product id. */
    parent: text("parent"),
    /** ProductFacts or VariantFacts as JSON text. */
    facts: text("facts").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.syncId, t.kind, t.key] })],
);

/**
 * A full sync's spilled products (see catalog_sync_variants), as the parts of a row they give:
 * the sync builds its rows from both tables in one INSERT … SELECT (app/server/catalog/
 * staged-rows.ts), so a spilled row never travels back through Node. No key, no index: it is
 * written once with COPY, read once by a hash join and deleted. UNLOGGED (migration 0023).
 */
export const catalogSyncProducts = pgTable("catalog_sync_products", {
  shop: text("shop").notNull(),
  syncId: text("sync_id").notNull(),
  /** Order of arrival: when the result lists a product twice, the first wins. */
  seq: integer("seq").notNull(),
  id: text("id").notNull(),
  title: text("title").notNull(),
  imageUrl: text("image_url"),
  /** The product page's URL up to `variant=`, or null when the product has none. */
  urlPrefix: text("url_prefix"),
  vendor: text("vendor"),
  productType: text("product_type"),
  handle: text("handle"),
  status: text("status"),
  /** A status other than ACTIVE: its variants are unavailable unless Shopify says otherwise. */
  inactive: boolean("inactive").notNull(),
  updatedAt: text("updated_at"),
});

/** A full sync's spilled variants: the variant's parts of a row, and its product's id. */
export const catalogSyncVariants = pgTable("catalog_sync_variants", {
  shop: text("shop").notNull(),
  syncId: text("sync_id").notNull(),
  seq: integer("seq").notNull(),
  id: text("id").notNull(),
  parent: text("parent").notNull(),
  /** What follows the product's title in the row's name ("" or " - Small"). */
  nameSuffix: text("name_suffix").notNull(),
  imageUrl: text("image_url"),
  price: bigint("price", { mode: "number" }),
  compareAtPrice: bigint("compare_at_price", { mode: "number" }),
  sku: text("sku"),
  /** Shopify's availableForSale, when it said. */
  available: boolean("available"),
  /** Availability when the product is active and Shopify did not say (stock and policy). */
  availableIfActive: boolean("available_if_active").notNull(),
  inventoryQuantity: integer("inventory_quantity"),
  updatedAt: text("updated_at"),
});
