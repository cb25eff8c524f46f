CREATE TABLE "compliance_requests" (
	"shop" text NOT NULL,
	"webhook_id" text NOT NULL,
	"topic" text NOT NULL,
	"customer_id" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"outcome" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"export" jsonb,
	CONSTRAINT "compliance_requests_shop_webhook_id_pk" PRIMARY KEY("shop","webhook_id")
);
