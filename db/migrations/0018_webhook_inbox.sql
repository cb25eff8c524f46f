CREATE TABLE "webhook_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"webhook_id" text NOT NULL,
	"topic" text NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_inbox_delivery_idx" ON "webhook_inbox" USING btree ("shop","webhook_id");--> statement-breakpoint
CREATE INDEX "webhook_inbox_available_idx" ON "webhook_inbox" USING btree ("available_at","id");--> statement-breakpoint
CREATE INDEX "webhook_inbox_leased_idx" ON "webhook_inbox" USING btree ("shop") WHERE "webhook_inbox"."lease_owner" is not null;