CREATE TABLE "catalog_rows" (
	"shop" text NOT NULL,
	"catalog" text NOT NULL,
	"version" integer NOT NULL,
	"identity" text NOT NULL,
	"name" text NOT NULL,
	"image_url" text,
	"price" bigint,
	"compare_at_price" bigint,
	"currency" text NOT NULL,
	"product_url" text,
	"sku" text,
	"available" boolean NOT NULL,
	"inventory_quantity" integer,
	"vendor" text,
	"product_type" text,
	"handle" text,
	"product_id" text,
	"status" text,
	"updated_at" text,
	"extra" jsonb,
	CONSTRAINT "catalog_rows_shop_catalog_version_identity_pk" PRIMARY KEY("shop","catalog","version","identity")
);
--> statement-breakpoint
CREATE TABLE "catalog_syncs" (
	"id" text PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"status" text NOT NULL,
	"bulk_operation_id" text,
	"target_version" integer NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"total" integer,
	"rows" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error" text,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "catalogs" (
	"shop" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"live_version" integer DEFAULT 0 NOT NULL,
	"next_version" integer DEFAULT 1 NOT NULL,
	"row_count" integer DEFAULT 0 NOT NULL,
	"extra_columns" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"currency" text,
	"storefront_origin" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "catalogs_shop_name_pk" PRIMARY KEY("shop","name")
);
--> statement-breakpoint
CREATE INDEX "catalog_rows_product_idx" ON "catalog_rows" USING btree ("shop","catalog","version","product_id");--> statement-breakpoint
CREATE INDEX "catalog_syncs_shop_idx" ON "catalog_syncs" USING btree ("shop","started_at");