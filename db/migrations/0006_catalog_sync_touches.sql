CREATE TABLE "catalog_sync_touches" (
	"shop" text NOT NULL,
	"sync_id" text NOT NULL,
	"product_id" text NOT NULL,
	CONSTRAINT "catalog_sync_touches_shop_sync_id_product_id_pk" PRIMARY KEY("shop","sync_id","product_id")
);
