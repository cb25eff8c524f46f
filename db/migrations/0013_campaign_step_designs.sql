CREATE TABLE "campaign_step_designs" (
	"shop" text NOT NULL,
	"campaign_id" text NOT NULL,
	"step" integer NOT NULL,
	"document" jsonb NOT NULL,
	"html_sha256" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_step_designs_shop_campaign_id_step_pk" PRIMARY KEY("shop","campaign_id","step")
);
