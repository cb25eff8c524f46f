import type { Db } from "@cartback/db";
import { catalogRows, catalogs } from "@cartback/db/schema/index";
import type { CatalogRow } from "@cartback/core/catalog/row";
import { and, asc, count, eq, gt, ilike, inArray, lt, or, sql } from "drizzle-orm";
import { type Executor, rowFromRecord } from "./rows-sql.ts";

export type CatalogKind = "shopify" | "csv";
export type CatalogRecord = typeof catalogs.$inferSelect;

/**
 * The read the email renderer uses: the live rows of `catalogName` for these variant ids,
 * in one query. Unknown ids are simply absent.
 */
export async function getCatalogRows(db: Db, shop: string, catalogName: string, identities: string[]): Promise<CatalogRow[]> {
  if (identities.length === 0) return [];
  const records = await db
    .select({ row: catalogRows })
    .from(catalogRows)
    .innerJoin(catalogs, and(eq(catalogs.shop, catalogRows.shop), eq(catalogs.name, catalogRows.catalog), eq(catalogs.liveVersion, catalogRows.version)))
    .where(and(eq(catalogRows.shop, shop), eq(catalogRows.catalog, catalogName), inArray(catalogRows.identity, identities)));
  return records.map((r) => rowFromRecord(r.row));
}

export async function ensureCatalog(db: Executor, shop: string, name: string, kind: CatalogKind): Promise<void> {
  await db.insert(catalogs).values({ shop, name, kind }).onConflictDoNothing();
}

export async function findCatalog(db: Executor, shop: string, name: string): Promise<CatalogRecord | undefined> {
  // PostgreSQL text cannot hold NUL (a name from a URL may): no catalog has such a name.
  if (name.includes("\u0000")) return undefined;
  const [found] = await db.select().from(catalogs).where(and(eq(catalogs.shop, shop), eq(catalogs.name, name)));
  return found;
}

/** A fresh version number to fill; it is invisible until publishVersion. */
export async function reserveVersion(db: Executor, shop: string, name: string): Promise<number> {
  const [row] = await db
    .update(catalogs)
    .set({ nextVersion: sql`${catalogs.nextVersion} + 1` })
    .where(and(eq(catalogs.shop, shop), eq(catalogs.name, name)))
    .returning({ version: sql<number>`${catalogs.nextVersion} - 1` });
  if (!row) throw new Error(`catalog ${name} does not exist for ${shop}`);
  return Number(row.version);
}

/** Locks the catalog row: webhooks and publishing take turns, so no write lands on a version being retired. */
export async function lockCatalog(tx: Executor, shop: string, name: string): Promise<CatalogRecord | undefined> {
  const [found] = await tx.select().from(catalogs).where(and(eq(catalogs.shop, shop), eq(catalogs.name, name))).for("update");
  return found;
}

/**
 * Makes `version` the live one and drops every other version's rows. Run inside a transaction.
 * `knownRows`: the caller counted what it wrote. Counting a fresh version again visits every
 * row on the heap (none is marked all-visible yet): 15 s at 1M rows on the bench machine.
 */
export async function publishVersion(tx: Executor, shop: string, name: string, version: number, extraColumns?: string[], knownRows?: number): Promise<number> {
  await lockCatalog(tx, shop, name);
  const rowCount = knownRows ?? (await countRows(tx, shop, name, version));
  await tx.update(catalogs)
    .set({ liveVersion: version, rowCount, updatedAt: new Date(), ...(extraColumns ? { extraColumns } : {}) })
    .where(and(eq(catalogs.shop, shop), eq(catalogs.name, name)));
  // Two ranges of the primary key (below and above `version`): `<>` would walk the new version's entries too.
  await tx.delete(catalogRows).where(and(eq(catalogRows.shop, shop), eq(catalogRows.catalog, name), or(lt(catalogRows.version, version), gt(catalogRows.version, version))));
  return rowCount;
}

async function countRows(tx: Executor, shop: string, name: string, version: number): Promise<number> {
  const [counted] = await tx.select({ n: count() }).from(catalogRows)
    .where(and(eq(catalogRows.shop, shop), eq(catalogRows.catalog, name), eq(catalogRows.version, version)));
  return Number(counted?.n ?? 0);
}

export async function discardVersion(db: Executor, shop: string, name: string, version: number): Promise<void> {
  await db.delete(catalogRows).where(and(eq(catalogRows.shop, shop), eq(catalogRows.catalog, name), eq(catalogRows.version, version)));
}

export async function refreshRowCount(tx: Executor, shop: string, name: string, liveVersion: number): Promise<void> {
  const [counted] = await tx.select({ n: count() }).from(catalogRows)
    .where(and(eq(catalogRows.shop, shop), eq(catalogRows.catalog, name), eq(catalogRows.version, liveVersion)));
  await tx.update(catalogs).set({ rowCount: Number(counted?.n ?? 0), updatedAt: new Date() })
    .where(and(eq(catalogs.shop, shop), eq(catalogs.name, name)));
}

export async function listCatalogs(db: Db, shop: string): Promise<CatalogRecord[]> {
  return db.select().from(catalogs).where(eq(catalogs.shop, shop)).orderBy(asc(catalogs.name));
}

/** A page of live rows for the admin table, optionally filtered by name, SKU or id. */
export async function searchCatalogRows(db: Db, shop: string, name: string, options: { query?: string; limit: number; offset: number }): Promise<CatalogRow[]> {
  const catalog = await findCatalog(db, shop, name);
  if (!catalog) return [];
  const q = options.query?.replaceAll("\u0000", "").trim();
  const pattern = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const records = await db.select().from(catalogRows)
    .where(and(
      eq(catalogRows.shop, shop), eq(catalogRows.catalog, name), eq(catalogRows.version, catalog.liveVersion),
      pattern ? or(ilike(catalogRows.name, pattern), ilike(catalogRows.sku, pattern), eq(catalogRows.identity, q!)) : undefined,
    ))
    .orderBy(asc(catalogRows.name), asc(catalogRows.identity))
    .limit(options.limit)
    .offset(options.offset);
  return records.map(rowFromRecord);
}

/** Live rows in id order, `pageSize` at a time, for exports that must not hold a catalog in memory. */
export async function* liveRowPages(db: Db, shop: string, name: string, version: number, pageSize = 2000) {
  let after = "";
  for (;;) {
    const page = await db.select().from(catalogRows)
      .where(and(eq(catalogRows.shop, shop), eq(catalogRows.catalog, name), eq(catalogRows.version, version), gt(catalogRows.identity, after)))
      .orderBy(asc(catalogRows.identity))
      .limit(pageSize);
    if (page.length === 0) return;
    yield page;
    after = page.at(-1)!.identity;
  }
}
