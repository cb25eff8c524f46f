import { type Db, suppressions } from "@cartback/db";
import { and, eq, inArray } from "drizzle-orm";

export type SuppressionReason = "unsubscribed" | "hard_bounce" | "manual";

/** Idempotent: the first reason recorded for an address stays. */
export async function suppress(db: Db, shop: string, email: string, reason: SuppressionReason, detail: string | null = null) {
  await db
    .insert(suppressions)
    .values({ shop, email: email.trim().toLowerCase(), reason, detail })
    .onConflictDoNothing();
}

export async function isSuppressed(db: Db, shop: string, email: string): Promise<boolean> {
  const rows = await db
    .select({ email: suppressions.email })
    .from(suppressions)
    .where(and(eq(suppressions.shop, shop), eq(suppressions.email, email.trim().toLowerCase())))
    .limit(1);
  return rows.length > 0;
}

/** "shop\nemail" (lower-cased) of the addresses among these that their shop suppresses: one statement. */
export async function suppressedAmong(db: Db, wanted: { shop: string; email: string | null }[]): Promise<Set<string>> {
  const pairs = wanted.filter((w): w is { shop: string; email: string } => w.email !== null);
  if (pairs.length === 0) return new Set();
  const rows = await db
    .select({ shop: suppressions.shop, email: suppressions.email })
    .from(suppressions)
    .where(and(inArray(suppressions.shop, [...new Set(pairs.map((p) => p.shop))]), inArray(suppressions.email, [...new Set(pairs.map((p) => p.email.trim().toLowerCase()))])));
  return new Set(rows.map((r) => `${r.shop}\n${r.email}`));
}

/** These addresses' suppressions in this shop (what the profile page shows): reason and since when. */
export async function suppressionsOf(db: Db, shop: string, emails: readonly string[]) {
  if (emails.length === 0) return [];
  return db
    .select({ email: suppressions.email, reason: suppressions.reason, createdAt: suppressions.createdAt })
    .from(suppressions)
    .where(and(eq(suppressions.shop, shop), inArray(suppressions.email, emails.map((email) => email.trim().toLowerCase()))));
}
