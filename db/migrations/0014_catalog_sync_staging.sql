CREATE TABLE "catalog_sync_staging" (
	"shop" text NOT NULL,
	"sync_id" text NOT NULL,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"parent" text,
	"facts" text NOT NULL,
	CONSTRAINT "catalog_sync_staging_shop_sync_id_kind_key_pk" PRIMARY KEY("shop","sync_id","kind","key")
);
