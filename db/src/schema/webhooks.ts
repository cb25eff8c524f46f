import { pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Shopify delivers webhooks at least once. A delivery is claimed inside the transaction
 * that processes it, so a failed attempt rolls its claim back and Shopify's retry runs again.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    topic: text("topic").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.webhookId] })],
);
