CREATE TABLE "event_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"event_id" text NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text
);
--> statement-breakpoint
CREATE INDEX "event_inbox_shop_received_idx" ON "event_inbox" USING btree ("shop","received_at");--> statement-breakpoint
CREATE INDEX "event_inbox_available_idx" ON "event_inbox" USING btree ("available_at");