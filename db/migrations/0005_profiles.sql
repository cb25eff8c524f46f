CREATE TABLE "profile_events" (
	"shop" text NOT NULL,
	"id" text NOT NULL,
	"profile_id" text NOT NULL,
	"name" text NOT NULL,
	"source" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"body" jsonb NOT NULL,
	CONSTRAINT "profile_events_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE TABLE "profile_identities" (
	"shop" text NOT NULL,
	"key" text NOT NULL,
	"profile_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profile_identities_shop_key_pk" PRIMARY KEY("shop","key")
);
--> statement-breakpoint
CREATE TABLE "profiles" (
	"shop" text NOT NULL,
	"id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"merged_into" text,
	"email" text,
	"customer_id" text,
	"phone" text,
	"first_name" text,
	"last_name" text,
	"marketing_consent" text DEFAULT 'unknown' NOT NULL,
	"accepts_marketing_at_checkout" boolean,
	"cart" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cart_tokens" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"checkout_tokens" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"client_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"charges" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"cart_changed_at" timestamp with time zone,
	"last_event_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "profiles_shop_id_pk" PRIMARY KEY("shop","id")
);
--> statement-breakpoint
CREATE INDEX "profile_events_profile_idx" ON "profile_events" USING btree ("shop","profile_id","occurred_at");--> statement-breakpoint
CREATE INDEX "profile_events_occurred_idx" ON "profile_events" USING btree ("shop","occurred_at");--> statement-breakpoint
CREATE INDEX "profile_identities_profile_idx" ON "profile_identities" USING btree ("shop","profile_id");--> statement-breakpoint
CREATE INDEX "profiles_shop_merged_idx" ON "profiles" USING btree ("shop","merged_into");