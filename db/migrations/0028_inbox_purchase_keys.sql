ALTER TABLE "webhook_inbox" ADD COLUMN "purchase_keys" text[];--> statement-breakpoint
ALTER TABLE "event_inbox" ADD COLUMN "purchase_keys" text[];--> statement-breakpoint
CREATE INDEX "webhook_inbox_purchase_keys_idx" ON "webhook_inbox" USING gin ("purchase_keys") WHERE "webhook_inbox"."purchase_keys" is not null;--> statement-breakpoint
CREATE INDEX "event_inbox_purchase_keys_idx" ON "event_inbox" USING gin ("purchase_keys") WHERE "event_inbox"."purchase_keys" is not null;