import { integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The email designer's block document of one campaign step (@cartback/email-blocks). The step's
 * template in `campaigns.steps` stays what is sent; this is what the designer edits. `html_sha256`
 * is the hash of the HTML the document compiled to when saved: when the step's HTML no longer has
 * that hash (edited by hand in HTML mode), the designer opens in HTML mode instead of overwriting it.
 */
export const campaignStepDesigns = pgTable(
  "campaign_step_designs",
  {
    shop: text("shop").notNull(),
    campaignId: text("campaign_id").notNull(),
    step: integer("step").notNull(),
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
    htmlSha256: text("html_sha256").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.campaignId, t.step] })],
);
