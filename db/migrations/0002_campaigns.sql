CREATE TABLE "campaign_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"profile_id" text NOT NULL,
	"campaign_id" text NOT NULL,
	"episode_id" text NOT NULL,
	"step" integer NOT NULL,
	"outcome" text NOT NULL,
	"reason" text,
	"until" timestamp with time zone,
	"detail" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_episodes" (
	"id" text PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"campaign_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_change_at" timestamp with time zone NOT NULL,
	"next_step" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_reason" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "campaign_sends" (
	"id" text PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"campaign_id" text NOT NULL,
	"episode_id" text NOT NULL,
	"profile_id" text NOT NULL,
	"step" integer NOT NULL,
	"idempotency_key" text NOT NULL,
	"status" text NOT NULL,
	"to_email" text NOT NULL,
	"message" jsonb NOT NULL,
	"raw" text,
	"transport" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone,
	"due_at" timestamp with time zone NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" text PRIMARY KEY NOT NULL,
	"shop" text NOT NULL,
	"name" text NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"steps" jsonb NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "suppressions" (
	"shop" text NOT NULL,
	"email" text NOT NULL,
	"reason" text NOT NULL,
	"detail" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_shop_email_pk" PRIMARY KEY("shop","email")
);
--> statement-breakpoint
CREATE INDEX "campaign_decisions_profile" ON "campaign_decisions" USING btree ("shop","profile_id","at");--> statement-breakpoint
CREATE INDEX "campaign_decisions_episode" ON "campaign_decisions" USING btree ("episode_id");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_episodes_one_open" ON "campaign_episodes" USING btree ("shop","campaign_id","profile_id") WHERE status <> 'closed';--> statement-breakpoint
CREATE INDEX "campaign_episodes_due" ON "campaign_episodes" USING btree ("due_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "campaign_episodes_profile" ON "campaign_episodes" USING btree ("shop","profile_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_sends_idempotency" ON "campaign_sends" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "campaign_sends_pending" ON "campaign_sends" USING btree ("next_attempt_at") WHERE status in ('sending', 'retry');--> statement-breakpoint
CREATE INDEX "campaign_sends_profile" ON "campaign_sends" USING btree ("shop","profile_id","created_at");--> statement-breakpoint
CREATE INDEX "campaign_sends_shop" ON "campaign_sends" USING btree ("shop","created_at");--> statement-breakpoint
CREATE INDEX "campaigns_shop_idx" ON "campaigns" USING btree ("shop");