import { randomUUID } from "node:crypto";
import type { Database } from "@cartback/db";
import { catalogSyncs, catalogs, shops } from "@cartback/db/schema/index";
import { SHOPIFY_CATALOG } from "@cartback/core/catalog/names";
import { and, eq } from "drizzle-orm";
import type { Logger } from "../logger.ts";
import type { AdminClient, AdminResult } from "../shopify/admin-client.ts";
import {
  BULK_OPERATION_STATUS, type BulkOperationNode, type BulkStatusData, PRODUCTS_BULK_QUERY, RUN_BULK_QUERY,
  type RunBulkData, SHOP_FACTS, type ShopFactsData,
} from "./bulk-query.ts";
import { ingestBulkResult } from "./ingest.ts";
import { clearStaging } from "./staged-rows.ts";
import { discardVersion, ensureCatalog, lockCatalog, publishVersion, reserveVersion } from "./repository.ts";
import { carryOverTouches, forgetTouches } from "./touches.ts";
import { activeSync, claimForIngest, completeSync, failSync, findSyncByBulkOperation, recordProgress, type SyncRecord } from "./sync-records.ts";

export interface CatalogDeps {
  database: Database;
  admin: AdminClient;
  logger: Logger;
  now?: () => Date;
  fetch?: typeof fetch;
  batchSize?: number;
  /** Products a sync keeps in memory (ingest.ts); tests make it tiny to force spilling. */
  productWindow?: number;
}

export type StartSyncResult =
  | { type: "started"; syncId: string; bulkOperationId: string }
  | { type: "already_running"; syncId: string }
  | { type: "disabled" }
  | { type: "failed"; syncId: string | null; errorCode: string; error: string };

/**
 * Full sync, step 1: ask Shopify for a bulk export of every product and variant. The
 * result is read later by completeSyncFromBulkOperation (poller or bulk_operations/finish).
 */
export async function startFullSync(deps: CatalogDeps, shop: string): Promise<StartSyncResult> {
  const { db } = deps.database;
  const now = deps.now?.() ?? new Date();
  const [settings] = await db.select({ enabled: shops.catalogSyncEnabled }).from(shops).where(eq(shops.shop, shop));
  if (!settings?.enabled) return { type: "disabled" };
  const running = await activeSync(db, shop, now);
  if (running) return { type: "already_running", syncId: running.id };

  const facts = await deps.admin.request<ShopFactsData>(shop, SHOP_FACTS);
  if (facts.type !== "ok") return { type: "failed", syncId: null, ...adminFailure(facts) };
  await ensureCatalog(db, shop, SHOPIFY_CATALOG, "shopify");
  // No sync of this shop is running: whatever is staged was left by a process that died mid-sync.
  await clearStaging(db, shop);
  await db.update(catalogs)
    .set({ currency: facts.data.shop.currencyCode, storefrontOrigin: origin(facts.data.shop.primaryDomain?.url) ?? `https://${shop}` })
    .where(and(eq(catalogs.shop, shop), eq(catalogs.name, SHOPIFY_CATALOG)));
  const syncId = randomUUID();
  const targetVersion = await reserveVersion(db, shop, SHOPIFY_CATALOG);
  await db.insert(catalogSyncs).values({ id: syncId, shop, status: "running", targetVersion, startedAt: now });

  const run = await deps.admin.request<RunBulkData>(shop, RUN_BULK_QUERY, { query: PRODUCTS_BULK_QUERY });
  const failure = run.type !== "ok" ? adminFailure(run) : bulkUserError(run.data);
  const bulk = run.type === "ok" ? run.data.bulkOperationRunQuery.bulkOperation : null;
  if (failure || !bulk) {
    const why = failure ?? { errorCode: "NO_OPERATION", error: "Shopify returned no bulk operation" };
    await failSync(db, syncId, why, now);
    return { type: "failed", syncId, ...why };
  }
  await db.update(catalogSyncs).set({ bulkOperationId: bulk.id }).where(eq(catalogSyncs.id, syncId));
  deps.logger.info({ shop, syncId, bulkOperationId: bulk.id }, "catalog sync started");
  return { type: "started", syncId, bulkOperationId: bulk.id };
}

export type CompleteSyncResult =
  | { type: "completed"; syncId: string; rows: number }
  | { type: "still_running"; syncId: string; objectCount: number }
  | { type: "failed"; syncId: string; errorCode: string; error: string }
  | { type: "unknown_operation" }
  | { type: "already_handled"; syncId: string };

/**
 * Full sync, step 2: once Shopify reports the operation finished, stream its result into a
 * fresh version and publish it. Anything short of a complete, well-formed result leaves
 * the live catalog as it was and records why on the sync.
 */
export async function completeSyncFromBulkOperation(deps: CatalogDeps, shop: string, bulkOperationId: string): Promise<CompleteSyncResult> {
  const { db } = deps.database;
  const now = () => deps.now?.() ?? new Date();
  const sync = await findSyncByBulkOperation(db, shop, bulkOperationId);
  if (!sync) return { type: "unknown_operation" };
  if (sync.status !== "running") return { type: "already_handled", syncId: sync.id };

  const status = await deps.admin.request<BulkStatusData>(shop, BULK_OPERATION_STATUS, { id: bulkOperationId });
  if (status.type === "not_installed") {
    const why = adminFailure(status);
    await failSync(db, sync.id, why, now());
    await discardVersion(db, shop, SHOPIFY_CATALOG, sync.targetVersion);
    return { type: "failed", syncId: sync.id, ...why };
  }
  if (status.type !== "ok") {
    // Shopify may be briefly unreachable: stay "running" so the next poll or webhook retries.
    return { type: "still_running", syncId: sync.id, objectCount: 0 };
  }
  const op = status.data.node;
  const total = Number(op?.objectCount ?? 0);
  if (op && (op.status === "CREATED" || op.status === "RUNNING" || op.status === "CANCELING")) {
    return { type: "still_running", syncId: sync.id, objectCount: total };
  }
  if (!(await claimForIngest(db, sync.id))) return { type: "already_handled", syncId: sync.id };
  const fail = async (errorCode: string, error: string): Promise<CompleteSyncResult> => {
    await failSync(db, sync.id, { errorCode, error }, now());
    await discardVersion(db, shop, SHOPIFY_CATALOG, sync.targetVersion);
    await forgetTouches(db, shop, sync.id);
    deps.logger.warn({ shop, syncId: sync.id, errorCode, error }, "catalog sync failed; previous catalog kept");
    return { type: "failed", syncId: sync.id, errorCode, error };
  };
  try {
    return await ingestAndPublish(deps, sync, op, fail, now);
  } catch (error) {
    // Unexpected (database down…): record it so the sync does not look alive, then rethrow.
    await fail("INTERNAL_ERROR", error instanceof Error ? error.message : String(error)).catch(() => {});
    throw error;
  }
}

async function ingestAndPublish(
  deps: CatalogDeps,
  sync: SyncRecord,
  op: BulkOperationNode | null,
  fail: (errorCode: string, error: string) => Promise<CompleteSyncResult>,
  now: () => Date,
): Promise<CompleteSyncResult> {
  const { db } = deps.database;
  const shop = sync.shop;
  const total = Number(op?.objectCount ?? 0);
  const problem = operationProblem(op);
  if (problem) return fail(problem.errorCode, problem.error);

  const [catalog] = await db.select().from(catalogs).where(and(eq(catalogs.shop, shop), eq(catalogs.name, SHOPIFY_CATALOG)));
  const context = { currency: catalog?.currency ?? "USD", storefrontOrigin: catalog?.storefrontOrigin ?? `https://${shop}` };
  const target = { shop, catalog: SHOPIFY_CATALOG, version: sync.targetVersion };
  await recordProgress(db, sync.id, { processed: 0, total, rows: 0 });
  let stored = 0;
  if (op!.url) {
    const ingested = await ingestBulkResult(op!.url, {
      db, driver: deps.database.kind, target, syncId: sync.id, context, fetch: deps.fetch, batchSize: deps.batchSize, productWindow: deps.productWindow,
      onProgress: (p) => recordProgress(db, sync.id, { processed: p.processed, total, rows: p.rows }),
    });
    if (ingested.type === "failed") return fail(ingested.errorCode, ingested.error);
    if (ingested.objects !== total) {
      return fail("RESULT_INCOMPLETE", `read ${ingested.objects} objects, Shopify reported ${total}`);
    }
    stored = ingested.rows;
  }
  const [settings] = await db.select({ enabled: shops.catalogSyncEnabled }).from(shops).where(eq(shops.shop, shop));
  if (!settings?.enabled) return fail("DISABLED", "Catalog Sync was turned off before the sync finished");
  const rows = await db.transaction(async (tx) => {
    const live = await lockCatalog(tx, shop, SHOPIFY_CATALOG);
    const changed = await carryOverTouches(tx, shop, sync.id, live?.liveVersion ?? 0, sync.targetVersion);
    return publishVersion(tx, shop, SHOPIFY_CATALOG, sync.targetVersion, undefined, changed ? undefined : stored);
  });
  await recordProgress(db, sync.id, { processed: total, total, rows });
  await completeSync(db, sync.id, rows, now());
  deps.logger.info({ shop, syncId: sync.id, rows }, "catalog sync completed");
  return { type: "completed", syncId: sync.id, rows };
}

export interface RunSyncOptions {
  pollIntervalMs?: number;
  /** Gives up polling after this long; the sync stays running for a later webhook or poll. */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  onPoll?: (result: CompleteSyncResult) => void;
}

/** Start a full sync and poll it to the end (CLI, and the toggle when no webhook arrives). */
export async function runFullSync(deps: CatalogDeps, shop: string, options: RunSyncOptions = {}): Promise<StartSyncResult | CompleteSyncResult> {
  const started = await startFullSync(deps, shop);
  if (started.type !== "started") return started;
  return pollSync(deps, shop, started.bulkOperationId, options);
}

export async function pollSync(deps: CatalogDeps, shop: string, bulkOperationId: string, options: RunSyncOptions = {}): Promise<CompleteSyncResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = options.pollIntervalMs ?? 2000;
  const deadline = Date.now() + (options.timeoutMs ?? 6 * 60 * 60 * 1000);
  for (;;) {
    const result = await completeSyncFromBulkOperation(deps, shop, bulkOperationId);
    options.onPoll?.(result);
    if (result.type !== "still_running" || Date.now() > deadline) return result;
    await sleep(interval);
  }
}

function operationProblem(op: BulkOperationNode | null): { errorCode: string; error: string } | null {
  if (!op) return { errorCode: "OPERATION_NOT_FOUND", error: "Shopify no longer knows this bulk operation" };
  if (op.status === "COMPLETED" && !op.errorCode) return null;
  const partial = op.partialDataUrl ? " (partial data was offered and not applied: a partial catalog would delete real rows)" : "";
  return { errorCode: op.errorCode ?? op.status, error: `the bulk operation ended ${op.status}${op.errorCode ? ` with ${op.errorCode}` : ""}${partial}` };
}

function bulkUserError(data: RunBulkData): { errorCode: string; error: string } | null {
  const [first] = data.bulkOperationRunQuery.userErrors;
  return first ? { errorCode: first.code ?? "USER_ERROR", error: first.message } : null;
}

export function adminFailure(result: Exclude<AdminResult<unknown>, { type: "ok" }>): { errorCode: string; error: string } {
  switch (result.type) {
    case "not_installed":
      return { errorCode: "NOT_INSTALLED", error: result.reason };
    case "throttled":
      return { errorCode: "THROTTLED", error: `Shopify kept throttling for ${Math.round(result.waitedMs / 1000)} s` };
    case "graphql_errors":
      return { errorCode: "GRAPHQL_ERROR", error: result.errors.map((e) => e.message).join("; ") };
    case "http_error":
      return { errorCode: "HTTP_ERROR", error: `HTTP ${result.status}: ${result.message}` };
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled admin result ${JSON.stringify(unreachable)}`);
    }
  }
}

function origin(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
