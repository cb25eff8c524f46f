CREATE TABLE "catalog_sync_products" (
	"shop" text NOT NULL,
	"sync_id" text NOT NULL,
	"seq" integer NOT NULL,
	"id" text NOT NULL,
	"title" text NOT NULL,
	"image_url" text,
	"url_prefix" text,
	"vendor" text,
	"product_type" text,
	"handle" text,
	"status" text,
	"inactive" boolean NOT NULL,
	"updated_at" text
);
--> statement-breakpoint
CREATE TABLE "catalog_sync_variants" (
	"shop" text NOT NULL,
	"sync_id" text NOT NULL,
	"seq" integer NOT NULL,
	"id" text NOT NULL,
	"parent" text NOT NULL,
	"name_suffix" text NOT NULL,
	"image_url" text,
	"price" bigint,
	"compare_at_price" bigint,
	"sku" text,
	"available" boolean,
	"available_if_active" boolean NOT NULL,
	"inventory_quantity" integer,
	"updated_at" text
);
--> statement-breakpoint
-- Scratch, like catalog_sync_staging (0021): deleted when the sync ends, redone after a crash;
-- unlogged, the sync's COPYs into them write no WAL (drizzle's schema cannot say so).
ALTER TABLE "catalog_sync_products" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "catalog_sync_variants" SET UNLOGGED;
