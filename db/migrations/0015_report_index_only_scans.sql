DROP INDEX "campaign_decisions_shop_at";--> statement-breakpoint
DROP INDEX "campaign_episodes_shop_started";--> statement-breakpoint
CREATE INDEX "campaign_decisions_shop_at" ON "campaign_decisions" USING btree ("shop","at","campaign_id","outcome","step","reason") WHERE outcome in ('sent', 'skipped');--> statement-breakpoint
CREATE INDEX "campaign_episodes_shop_started" ON "campaign_episodes" USING btree ("shop","started_at","campaign_id");