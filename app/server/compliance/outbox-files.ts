import { complianceRequests, type Db } from "@cartback/db";
import { and, eq, sql } from "drizzle-orm";
import { removeOutboxFiles } from "../mail/outbox.ts";

/**
 * Removes the local outbox copies (.eml) that redactions recorded, then marks them done. The
 * compliance route calls it for its own request right after the commit; maintenance calls it
 * for every request, which finishes what a crash between that commit and the removal left.
 * Returns how many files were removed.
 */
export async function removeRedactedOutboxFiles(db: Db, dir: string, only?: { shop: string; webhookId: string }): Promise<number> {
  const pending = await db
    .select({ shop: complianceRequests.shop, webhookId: complianceRequests.webhookId, messageIds: complianceRequests.outboxPending })
    .from(complianceRequests)
    .where(
      and(
        sql`${complianceRequests.outboxPending} <> '[]'::jsonb`,
        only ? and(eq(complianceRequests.shop, only.shop), eq(complianceRequests.webhookId, only.webhookId)) : undefined,
      ),
    );
  let removed = 0;
  for (const request of pending) {
    removed += await removeOutboxFiles(dir, request.messageIds);
    await db
      .update(complianceRequests)
      .set({ outboxPending: [] })
      .where(and(eq(complianceRequests.shop, request.shop), eq(complianceRequests.webhookId, request.webhookId)));
  }
  return removed;
}
