import { type Db, suppressions } from "@cartback/db";
import { and, eq } from "drizzle-orm";

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
