ALTER TABLE "campaign_decisions" ADD COLUMN "variant" text;--> statement-breakpoint
ALTER TABLE "campaign_sends" ADD COLUMN "variant" text;