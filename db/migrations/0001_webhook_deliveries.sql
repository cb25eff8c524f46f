CREATE TABLE "webhook_deliveries" (
	"shop" text NOT NULL,
	"webhook_id" text NOT NULL,
	"topic" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_deliveries_shop_webhook_id_pk" PRIMARY KEY("shop","webhook_id")
);
