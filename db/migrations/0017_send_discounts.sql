ALTER TABLE "campaign_sends" ADD COLUMN "discount" jsonb;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "discount_code" text;--> statement-breakpoint
CREATE INDEX "campaign_sends_discount_code" ON "campaign_sends" USING btree ("shop","discount_code") WHERE discount_code is not null;