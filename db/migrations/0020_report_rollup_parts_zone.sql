-- Rollups are derived from the base tables and redone by the next report: the old ones (UTC days, one part) go.
DELETE FROM "revenue_daily";--> statement-breakpoint
DELETE FROM "revenue_rollup_days";--> statement-breakpoint
ALTER TABLE "revenue_rollup_days" DROP CONSTRAINT "revenue_rollup_days_shop_day_pk";--> statement-breakpoint
ALTER TABLE "revenue_rollup_days" ADD COLUMN "part" text NOT NULL;--> statement-breakpoint
ALTER TABLE "revenue_rollup_days" ADD COLUMN "zone" text NOT NULL;--> statement-breakpoint
ALTER TABLE "revenue_rollup_days" ADD CONSTRAINT "revenue_rollup_days_shop_day_part_pk" PRIMARY KEY("shop","day","part");
