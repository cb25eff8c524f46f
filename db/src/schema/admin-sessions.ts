import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Standalone admin sign-ins (self-hosted and unconfigured modes; partner mode uses Shopify's
 * sessions). The cookie carries a random id; only its SHA-256 is stored, so a database read
 * cannot be replayed as a cookie. One admin per installation, hence no `shop` column.
 * `credentialTag` fingerprints the password the session was opened with: a changed password
 * ends every older session.
 */
export const adminSessions = pgTable(
  "admin_sessions",
  {
    idHash: text("id_hash").primaryKey(),
    credentialTag: text("credential_tag").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("admin_sessions_created_at_idx").on(t.createdAt)],
);
