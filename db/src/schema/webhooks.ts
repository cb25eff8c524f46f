import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

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

/**
 * Signed cart, checkout and order deliveries as received, stored (one INSERT) before Shopify
 * gets its 200, and deleted in the transaction that applies them. A row outlives a crash
 * between the answer and the apply: the drain (app/server/webhook-inbox) applies it once
 * `available_at` has passed. `lease_owner` is set while a drain applies the row, so no other
 * drain takes the same shop's rows meanwhile (per-shop order).
 */
export const webhookInbox = pgTable(
  "webhook_inbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    webhookId: text("webhook_id").notNull(),
    topic: text("topic").notNull(),
    body: text("body").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    availableAt: timestamp("available_at", { withTimezone: true }).notNull().defaultNow(),
    leaseOwner: text("lease_owner"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /**
     * A delivery that carries a purchase (orders/*): the identity keys of its buyer
     * (`email:…`, `cartToken:…`, as profile_identities has them). A due step of a shopper whose
     * profile owns one of them waits until the row is applied (campaigns/decide-due.ts).
     */
    purchaseKeys: text("purchase_keys").array(),
  },
  (t) => [
    index("webhook_inbox_purchase_keys_idx").using("gin", t.purchaseKeys).where(sql`${t.purchaseKeys} is not null`),
    uniqueIndex("webhook_inbox_delivery_idx").on(t.shop, t.webhookId),
    index("webhook_inbox_available_idx").on(t.availableAt, t.id),
    index("webhook_inbox_leased_idx").on(t.shop).where(sql`${t.leaseOwner} is not null`),
  ],
);
