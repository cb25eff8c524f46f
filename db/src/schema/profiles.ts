import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Shoppers (Cart Tracking). A profile's cart and identity facts are derived from its events
 * (see @cartback/core/cart/derive) and stored here so the campaign engine reads them in one
 * row. Merged profiles stay as tombstones pointing at their survivor, so ids handed out
 * earlier (episodes, emails) still resolve.
 */
export const profiles = pgTable(
  "profiles",
  {
    shop: text("shop").notNull(),
    id: text("id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
    mergedInto: text("merged_into"),
    email: text("email"),
    customerId: text("customer_id"),
    phone: text("phone"),
    firstName: text("first_name"),
    lastName: text("last_name"),
    marketingConsent: text("marketing_consent").notNull().default("unknown"),
    acceptsMarketingAtCheckout: boolean("accepts_marketing_at_checkout"),
    /** CartLineState[] with ISO dates; `shopify_cart_ids` is its variant ids in order. */
    cart: jsonb("cart").$type<unknown[]>().notNull().default([]),
    cartTokens: jsonb("cart_tokens").$type<string[]>().notNull().default([]),
    checkoutTokens: jsonb("checkout_tokens").$type<string[]>().notNull().default([]),
    clientIds: jsonb("client_ids").$type<string[]>().notNull().default([]),
    /** ChargeState[] with ISO dates. */
    charges: jsonb("charges").$type<unknown[]>().notNull().default([]),
    cartChangedAt: timestamp("cart_changed_at", { withTimezone: true }),
    lastEventAt: timestamp("last_event_at", { withTimezone: true }),
    /**
     * The derivation up to an event a few minutes behind the newest (core's ProfileFold):
     * ingest folds the events after it instead of re-reading the whole history. Null: derive
     * from the whole history next time (new, merged or pruned profiles).
     */
    fold: jsonb("fold").$type<unknown>(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.id] }), index("profiles_shop_merged_idx").on(t.shop, t.mergedInto)],
);

/** Who owns an identifier: `key` is `<kind>:<value>` (e.g. `email:ana@example.com`). */
export const profileIdentities = pgTable(
  "profile_identities",
  {
    shop: text("shop").notNull(),
    key: text("key").notNull(),
    profileId: text("profile_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.shop, t.key] }), index("profile_identities_profile_idx").on(t.shop, t.profileId)],
);

/**
 * Every accepted event, deduplicated by its id per shop: the history a profile's state is
 * derived from, the "why" view and the GDPR export. Bounded by the shop's retention setting.
 */
export const profileEvents = pgTable(
  "profile_events",
  {
    shop: text("shop").notNull(),
    id: text("id").notNull(),
    profileId: text("profile_id").notNull(),
    name: text("name").notNull(),
    source: text("source").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull(),
    /** The normalized event without its envelope columns. */
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.shop, t.id] }),
    index("profile_events_profile_idx").on(t.shop, t.profileId, t.occurredAt),
    index("profile_events_occurred_idx").on(t.shop, t.occurredAt),
  ],
);
