DROP INDEX "campaign_episodes_due";--> statement-breakpoint
CREATE INDEX "campaign_episodes_due" ON "campaign_episodes" USING btree ("due_at") WHERE status <> 'closed';