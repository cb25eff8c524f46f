import { catalogSyncs } from "@cartback/db/schema/index";
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "./rows-sql.ts";

export type SyncRecord = typeof catalogSyncs.$inferSelect;

/** A sync still "running" after this long lost its process: a new one may start. */
export const STALE_SYNC_MS = 2 * 60 * 60 * 1000;

export async function latestSync(db: Executor, shop: string): Promise<SyncRecord | undefined> {
  const [row] = await db.select().from(catalogSyncs).where(eq(catalogSyncs.shop, shop)).orderBy(desc(catalogSyncs.startedAt)).limit(1);
  return row;
}

/** The newest sync that published a catalog: "On — never synced" until there is one. */
export async function latestCompletedSync(db: Executor, shop: string): Promise<SyncRecord | undefined> {
  const [row] = await db.select().from(catalogSyncs)
    .where(and(eq(catalogSyncs.shop, shop), eq(catalogSyncs.status, "completed")))
    .orderBy(desc(catalogSyncs.startedAt)).limit(1);
  return row;
}

export async function activeSync(db: Executor, shop: string, now: Date): Promise<SyncRecord | undefined> {
  const latest = await latestSync(db, shop);
  if (!latest || (latest.status !== "running" && latest.status !== "ingesting")) return undefined;
  return now.getTime() - latest.startedAt.getTime() > STALE_SYNC_MS ? undefined : latest;
}

export async function findSyncByBulkOperation(db: Executor, shop: string, bulkOperationId: string): Promise<SyncRecord | undefined> {
  const [row] = await db.select().from(catalogSyncs)
    .where(and(eq(catalogSyncs.shop, shop), eq(catalogSyncs.bulkOperationId, bulkOperationId)));
  return row;
}

/**
 * running → ingesting, once: the poller and the bulk_operations/finish webhook may both
 * report the same completion, and only the first one to claim it reads the result.
 */
export async function claimForIngest(db: Executor, syncId: string): Promise<boolean> {
  const rows = await db.update(catalogSyncs).set({ status: "ingesting" })
    .where(and(eq(catalogSyncs.id, syncId), eq(catalogSyncs.status, "running")))
    .returning({ id: catalogSyncs.id });
  return rows.length > 0;
}

/** Never moves backwards: two batches are written at once and may finish out of order. */
export async function recordProgress(db: Executor, syncId: string, progress: { processed: number; total: number | null; rows: number }): Promise<void> {
  await db.update(catalogSyncs)
    .set({
      processed: sql`greatest(${catalogSyncs.processed}, ${progress.processed})`,
      rows: sql`greatest(${catalogSyncs.rows}, ${progress.rows})`,
      total: progress.total,
    })
    .where(eq(catalogSyncs.id, syncId));
}

export async function failSync(db: Executor, syncId: string, failure: { errorCode: string; error: string }, now: Date): Promise<void> {
  await db.update(catalogSyncs).set({ status: "failed", ...failure, finishedAt: now })
    .where(and(eq(catalogSyncs.id, syncId), inArray(catalogSyncs.status, ["running", "ingesting"])));
}

export async function completeSync(db: Executor, syncId: string, rows: number, now: Date): Promise<void> {
  await db.update(catalogSyncs).set({ status: "completed", rows, finishedAt: now, errorCode: null, error: null })
    .where(eq(catalogSyncs.id, syncId));
}
