import type { Database } from "@cartback/db";
import { catalogSyncs, shops } from "@cartback/db/schema/index";
import { and, eq, gt, isNotNull } from "drizzle-orm";
import { STALE_SYNC_MS } from "./sync-records.ts";
import { type CatalogDeps, pollSync, type StartSyncResult, startFullSync } from "./sync.ts";

export type ToggleResult =
  | { type: "enabled"; sync: StartSyncResult }
  | { type: "disabled" }
  | { type: "unknown_shop" };

export interface ToggleOptions {
  /**
   * Poll the started sync to completion in the background (the default): Shopify's
   * bulk_operations/finish webhook may never reach a self-hosted install. Tests pass false
   * and drive completion themselves.
   */
  pollInBackground?: boolean;
  pollIntervalMs?: number;
}

/**
 * The Catalog Sync toggle, shared by the admin page and the CLI. On: start a full sync and
 * apply product webhooks. Off: stop applying changes; the catalog stays as it is.
 */
export async function setCatalogSync(deps: CatalogDeps, shop: string, enabled: boolean, options: ToggleOptions = {}): Promise<ToggleResult> {
  const updated = await deps.database.db.update(shops).set({ catalogSyncEnabled: enabled }).where(eq(shops.shop, shop)).returning({ shop: shops.shop });
  if (updated.length === 0) return { type: "unknown_shop" };
  if (!enabled) return { type: "disabled" };
  return { type: "enabled", sync: await syncNow(deps, shop, options) };
}

/** "Sync now": a full sync, polled to the end in the background unless told otherwise. */
export async function syncNow(deps: CatalogDeps, shop: string, options: ToggleOptions = {}): Promise<StartSyncResult> {
  const sync = await startFullSync(deps, shop);
  if (sync.type === "started" && options.pollInBackground !== false) {
    pollOnce(deps, shop, sync.bulkOperationId, { pollIntervalMs: options.pollIntervalMs }, "catalog sync poller stopped");
  }
  return sync;
}

/** Bulk operations this process is polling, per database: maintenance adopts only the others. */
const polling = new WeakMap<Database, Set<string>>();

function pollOnce(deps: CatalogDeps, shop: string, bulkOperationId: string, options: { pollIntervalMs?: number }, failure: string): Promise<unknown> | null {
  const mine = polling.get(deps.database) ?? new Set<string>();
  polling.set(deps.database, mine);
  if (mine.has(bulkOperationId)) return null;
  mine.add(bulkOperationId);
  return pollSync(deps, shop, bulkOperationId, options)
    .catch((error: unknown) => deps.logger.error({ shop, err: error }, failure))
    .finally(() => mine.delete(bulkOperationId));
}

/**
 * Polls every sync still waiting on Shopify that this process is not polling already: after a
 * restart, and periodically for syncs whose poller is gone (a CLI that exited, a crashed web
 * process). A self-hosted install gets no bulk_operations/finish webhook to finish them. Two
 * processes polling one sync only repeat status queries: one of them claims the result.
 * Returns the new polls so that callers (tests, shutdown) can wait for them.
 */
export async function resumeRunningSyncs(deps: CatalogDeps, options: { pollIntervalMs?: number; shop?: string } = {}): Promise<Array<Promise<unknown>>> {
  const now = deps.now?.() ?? new Date();
  const running = await deps.database.db.select().from(catalogSyncs)
    .where(and(
      eq(catalogSyncs.status, "running"), isNotNull(catalogSyncs.bulkOperationId), gt(catalogSyncs.startedAt, new Date(now.getTime() - STALE_SYNC_MS)),
      options.shop ? eq(catalogSyncs.shop, options.shop) : undefined,
    ));
  return running.flatMap((sync) => {
    const poll = pollOnce(deps, sync.shop, sync.bulkOperationId!, { pollIntervalMs: options.pollIntervalMs }, "resumed catalog sync poller stopped");
    if (poll) deps.logger.info({ shop: sync.shop, syncId: sync.id }, "polling a catalog sync no process here was polling");
    return poll ? [poll] : [];
  });
}
