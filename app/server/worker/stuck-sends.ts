import { type Db, campaignSends } from "@cartback/db";
import { and, eq, inArray, lt, sql } from "drizzle-orm";

/**
 * A send still undelivered this long after it was decided is stuck. A working relay takes
 * well under a second, so two minutes means its first attempts (10 s, 20 s, 40 s apart)
 * failed: the relay is down or refusing, or no worker is running.
 */
export const STUCK_AFTER_MS = 2 * 60_000;

export interface StuckSends {
  count: number;
  /** Age of the oldest stuck send, in seconds; null when none is stuck. */
  oldestSeconds: number | null;
}

/**
 * For /healthz: counts only (no addresses, no relay errors). A self-hosted install asks about
 * its one shop; a partner app about all its shops (`shop` undefined).
 */
export async function stuckSends(db: Db, now: Date, shop?: string): Promise<StuckSends> {
  // `status in ('sending', 'retry')` is the predicate of the partial index campaign_sends_pending:
  // this reads only the sends not yet delivered.
  const [row] = await db
    .select({ count: sql<number>`count(*)::int`, oldest: sql<Date | null>`min(${campaignSends.createdAt})`.mapWith(campaignSends.createdAt) })
    .from(campaignSends)
    .where(and(inArray(campaignSends.status, ["sending", "retry"]), shop ? eq(campaignSends.shop, shop) : undefined, lt(campaignSends.createdAt, new Date(now.getTime() - STUCK_AFTER_MS))));
  const count = Number(row?.count ?? 0);
  const oldest = row?.oldest ?? null;
  return { count, oldestSeconds: count > 0 && oldest ? Math.round((now.getTime() - oldest.getTime()) / 1000) : null };
}
