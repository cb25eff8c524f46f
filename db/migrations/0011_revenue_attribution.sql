CREATE TABLE "revenue_clicks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"send_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"episode_id" text NOT NULL,
	"kind" text NOT NULL,
	"url" text NOT NULL,
	"first" boolean NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "revenue_daily" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	"campaign_id" text NOT NULL,
	"metric" text NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "revenue_daily_shop_day_campaign_id_metric_reason_pk" PRIMARY KEY("shop","day","campaign_id","metric","reason")
);
--> statement-breakpoint
CREATE TABLE "revenue_orders" (
	"shop" text NOT NULL,
	"order_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"ordered_at" timestamp with time zone NOT NULL,
	"total_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"refunded_minor" bigint DEFAULT 0 NOT NULL,
	"rule" text,
	"exposure" text,
	"campaign_id" text,
	"episode_id" text,
	"send_id" text,
	"first_for_episode" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "revenue_orders_shop_order_id_pk" PRIMARY KEY("shop","order_id")
);
--> statement-breakpoint
CREATE TABLE "revenue_refunds" (
	"shop" text NOT NULL,
	"refund_id" text NOT NULL,
	"order_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "revenue_refunds_shop_refund_id_pk" PRIMARY KEY("shop","refund_id")
);
--> statement-breakpoint
CREATE TABLE "revenue_rollup_days" (
	"shop" text NOT NULL,
	"day" date NOT NULL,
	CONSTRAINT "revenue_rollup_days_shop_day_pk" PRIMARY KEY("shop","day")
);
--> statement-breakpoint
CREATE INDEX "revenue_clicks_send" ON "revenue_clicks" USING btree ("send_id","at");--> statement-breakpoint
CREATE INDEX "revenue_clicks_episode" ON "revenue_clicks" USING btree ("episode_id");--> statement-breakpoint
CREATE INDEX "revenue_clicks_shop_at" ON "revenue_clicks" USING btree ("shop","at");--> statement-breakpoint
CREATE INDEX "revenue_orders_exposed" ON "revenue_orders" USING btree ("shop","ordered_at") WHERE exposure is not null;--> statement-breakpoint
CREATE INDEX "revenue_refunds_order" ON "revenue_refunds" USING btree ("shop","order_id");--> statement-breakpoint
CREATE INDEX "campaign_decisions_shop_at" ON "campaign_decisions" USING btree ("shop","at");--> statement-breakpoint
CREATE INDEX "campaign_episodes_shop_started" ON "campaign_episodes" USING btree ("shop","started_at");