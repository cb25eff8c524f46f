import { boolean, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per installed shop (myshopify domain). Every other table is scoped by `shop`.
 * Keys are stored hashed where they authenticate callers (API key); the pixel key is a
 * public identifier the pixel posts back, so it is stored as issued.
 */
export const shops = pgTable("shops", {
  shop: text("shop").primaryKey(),
  name: text("name"),
  currency: text("currency").notNull().default("USD"),
  moneyFormat: text("money_format").notNull().default("${{amount}}"),
  timezone: text("timezone").notNull().default("UTC"),
  cartTrackingEnabled: boolean("cart_tracking_enabled").notNull().default(true),
  catalogSyncEnabled: boolean("catalog_sync_enabled").notNull().default(false),
  apiKeyHash: text("api_key_hash"),
  pixelKey: text("pixel_key"),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  installedAt: timestamp("installed_at", { withTimezone: true }).notNull().defaultNow(),
  uninstalledAt: timestamp("uninstalled_at", { withTimezone: true }),
});

/** Key/value state of this installation (e.g. the standalone admin's password hash). */
export const appState = pgTable("app_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
