import type { Db } from "@cartback/db";
import { shops } from "@cartback/db/schema/index";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/row";
import { eq } from "drizzle-orm";
import { type CatalogRecord, listCatalogs } from "./repository.ts";
import { latestCompletedSync, latestSync } from "./sync-records.ts";

export interface CatalogSyncStatus {
  enabled: boolean;
  /** "Off", "On — never synced" (until a full sync has finished) or "On — last synced …". */
  summary: string;
  /** When the newest full sync that published a catalog finished. */
  lastSyncedAt: Date | null;
  catalogs: Array<Pick<CatalogRecord, "name" | "kind" | "rowCount" | "updatedAt">>;
  shopifyRowCount: number;
  lastSync: {
    id: string;
    status: "running" | "ingesting" | "completed" | "failed";
    processed: number;
    total: number | null;
    /** 0..1 for a progress bar; null while Shopify is still exporting (total unknown). */
    fraction: number | null;
    rows: number;
    errorCode: string | null;
    error: string | null;
    startedAt: Date;
    finishedAt: Date | null;
  } | null;
}

/** What the admin page and the CLI's progress line show. */
export async function catalogSyncStatus(db: Db, shop: string): Promise<CatalogSyncStatus> {
  const [settings] = await db.select({ enabled: shops.catalogSyncEnabled }).from(shops).where(eq(shops.shop, shop));
  const all = await listCatalogs(db, shop);
  const sync = await latestSync(db, shop);
  const completed = sync?.status === "completed" ? sync : await latestCompletedSync(db, shop);
  const enabled = settings?.enabled ?? false;
  const lastSyncedAt = completed?.finishedAt ?? null;
  return {
    enabled,
    summary: syncSummary(enabled, lastSyncedAt, completed?.rows ?? 0),
    lastSyncedAt,
    catalogs: all.map(({ name, kind, rowCount, updatedAt }) => ({ name, kind, rowCount, updatedAt })),
    shopifyRowCount: all.find((c) => c.name === SHOPIFY_CATALOG)?.rowCount ?? 0,
    lastSync: sync
      ? {
          id: sync.id,
          status: sync.status,
          processed: sync.processed,
          total: sync.total,
          fraction: sync.status === "completed" ? 1 : sync.total ? Math.min(1, sync.processed / sync.total) : null,
          rows: sync.rows,
          errorCode: sync.errorCode,
          error: sync.error,
          startedAt: sync.startedAt,
          finishedAt: sync.finishedAt,
        }
      : null,
  };
}

/**
 * The state in a few words. A sync that started but has not finished has not synced anything:
 * the page says "never synced" until one has, whatever is still running or has failed.
 */
export function syncSummary(enabled: boolean, lastSyncedAt: Date | null, rows: number): string {
  if (!enabled) return "Off";
  if (!lastSyncedAt) return "On — never synced";
  return `On — last synced ${lastSyncedAt.toISOString().slice(0, 16).replace("T", " ")} UTC (${rows.toLocaleString("en-US")} variants)`;
}

/** "Catalog sync: 41,200 / 100,000 objects (41%)" — one line the CLI rewrites in place. */
export function progressLine(status: CatalogSyncStatus): string {
  const sync = status.lastSync;
  if (!sync) return "Catalog sync: never run";
  const n = (x: number) => x.toLocaleString("en-US");
  switch (sync.status) {
    case "running":
      return "Catalog sync: Shopify is exporting products…";
    case "ingesting":
      return sync.total
        ? `Catalog sync: ${n(sync.processed)} / ${n(sync.total)} objects (${Math.floor((sync.fraction ?? 0) * 100)}%)`
        : `Catalog sync: ${n(sync.processed)} objects`;
    case "completed":
      return `Catalog sync: done, ${n(sync.rows)} variants`;
    case "failed":
      return `Catalog sync: failed (${sync.errorCode}): ${sync.error}`;
    default: {
      const unreachable: never = sync.status;
      return unreachable;
    }
  }
}
