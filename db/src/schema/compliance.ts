import { jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * GDPR requests Shopify forwarded (customers/data_request, customers/redact, shop/redact) and
 * what Cartback did about them. A data request's export is kept here for the merchant to
 * hand to the customer; it is removed again by a later redaction of the same customer.
 */
export const complianceRequests = pgTable(
  "compliance_requests",
  {
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    topic: text("topic").notNull(),
    customerId: text("customer_id"),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    /** Profiles found and rows removed or exported, by table. */
    outcome: jsonb("outcome").$type<Record<string, number>>().notNull().default({}),
    export: jsonb("export").$type<unknown>(),
    /**
     * Message-IDs whose local outbox files (.eml) are still to be removed. Written in the
     * redaction's transaction, emptied once the files are gone, so a crash in between is
     * finished by the next maintenance run instead of leaving personal data on disk.
     */
    outboxPending: jsonb("outbox_pending").$type<string[]>().notNull().default([]),
  },
  (t) => [primaryKey({ columns: [t.shop, t.webhookId] })],
);
