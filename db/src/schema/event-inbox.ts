import { sql } from "drizzle-orm";
import { bigserial, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Storefront and API events acknowledged during a burst, one row per validated event, stored
 * (one multi-row INSERT for many requests) before the answer and deleted by the transaction
 * that applies them (app/server/event-inbox): a crash in between leaves the row, applied
 * later; the event's id makes a second apply change nothing. `body` is the validated event as
 * JSON text (no jsonb: the row is written once and read once, parsing it twice buys nothing).
 */
export const eventInbox = pgTable(
  "event_inbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    shop: text("shop").notNull(),
    eventId: text("event_id").notNull(),
    body: text("body").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    availableAt: timestamp("available_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** A Charged event: its buyer's identity keys, as on webhook_inbox (campaigns/decide-due.ts waits for them). */
    purchaseKeys: text("purchase_keys").array(),
  },
  (t) => [
    index("event_inbox_purchase_keys_idx").using("gin", t.purchaseKeys).where(sql`${t.purchaseKeys} is not null`),
    // The drain takes a shop's oldest rows; the scheduler asks whether a shop has rows received before a due time.
    index("event_inbox_shop_received_idx").on(t.shop, t.receivedAt),
    index("event_inbox_available_idx").on(t.availableAt),
  ],
);
