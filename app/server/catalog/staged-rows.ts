import type { Database, Db } from "@cartback/db";
import { sql } from "drizzle-orm";
import type { Executor, VersionTarget } from "./rows-sql.ts";

/** Where a sync's spill-over goes: its shop and its id. */
export interface StagingTarget {
  shop: string;
  syncId: string;
}

/**
 * The rows of every spilled variant whose product was spilled too, built by PostgreSQL from
 * the parts row-parts.ts staged (one hash join, one INSERT … SELECT into the sync's version),
 * so a staged row is never read back into Node and written again. `staged` is how many
 * variants were spilled; the result says how many rows were written and how many variants
 * had no product (orphans).
 *
 * The plain statement assumes every object was listed once. A clash on the key (a variant
 * listed twice, or a product listed twice so its variants would join twice) makes it write
 * nothing, and the careful one runs instead: first listing wins, rows already written stay.
 */
export async function insertStagedRows(
  db: Executor & Pick<Db, "transaction">,
  driver: Database["kind"],
  target: VersionTarget,
  staging: StagingTarget,
  currency: string,
  staged: number,
): Promise<{ rows: number; orphans: number }> {
  // Fresh rows have no statistics and the planner takes the tables for empty: a nested loop,
  // a pass over the variants per product. A sample of 3,000 rows (not 30,000) gives the sizes
  // a hash join needs in a tenth of the time (1M variants: 0.14 s, not 0.9 s). Its own
  // transaction: ANALYZE's lock, held to the end, would make other shops' syncs wait.
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local default_statistics_target = 10`);
    await tx.execute(sql`analyze catalog_sync_products, catalog_sync_variants`);
  });
  const run = (careful: boolean) =>
    db.transaction(async (tx) => {
      // 200k products hashed in memory rather than in batches spilled to disk (default 4 MB).
      // Server memory on PostgreSQL; PGlite runs in this process, so it keeps its default.
      if (driver === "postgres") await tx.execute(sql`set local work_mem = '64MB'`);
      return affected(await tx.execute(buildRows(target, staging, currency, careful)));
    });
  try {
    const rows = await run(false);
    return { rows, orphans: staged - rows };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const rows = await run(true);
  const counted = await db.execute(sql`
    select count(distinct v.id)::int as n from catalog_sync_variants v
    where v.shop = ${staging.shop} and v.sync_id = ${staging.syncId} and not exists (
      select 1 from catalog_sync_products p where p.shop = ${staging.shop} and p.sync_id = ${staging.syncId} and p.id = v.parent)`);
  return { rows, orphans: Number((counted as unknown as { rows: Array<{ n: number }> }).rows[0]!.n) };
}

/** The INSERT … SELECT; `careful` keeps the first listing of each object and any row already written. */
function buildRows(target: VersionTarget, s: StagingTarget, currency: string, careful: boolean) {
  const from = (table: "catalog_sync_products" | "catalog_sync_variants") => {
    const where = sql`shop = ${s.shop} and sync_id = ${s.syncId}`;
    return careful
      ? sql`(select distinct on (id) * from ${sql.raw(table)} where ${where} order by id, seq)`
      : sql`(select * from ${sql.raw(table)} where ${where})`;
  };
  return sql`
    insert into catalog_rows (shop, catalog, version, identity, name, image_url, price, compare_at_price, currency,
      product_url, sku, available, inventory_quantity, vendor, product_type, handle, product_id, status, updated_at)
    select ${target.shop}, ${target.catalog}, ${target.version}::int, v.id, p.title || v.name_suffix, coalesce(v.image_url, p.image_url),
      v.price, v.compare_at_price, ${currency}, p.url_prefix || v.id, v.sku,
      coalesce(v.available, not p.inactive and v.available_if_active), v.inventory_quantity,
      p.vendor, p.product_type, p.handle, p.id, p.status,
      -- ISO 8601 in UTC compares as time byte by byte, whatever the database's collation.
      greatest(p.updated_at collate "C", v.updated_at collate "C")
    from ${from("catalog_sync_variants")} v join ${from("catalog_sync_products")} p on p.id = v.parent
    -- In key order, each index entry lands next to the previous one instead of on a random page
    -- of the key index (1M rows: 12 s instead of 38 s, sort included; a COPY of them in arrival order took 35 s).
    order by v.id
    ${careful ? sql`on conflict do nothing` : sql``}`;
}

/** Drizzle wraps the driver's error (as `cause`) in its own. */
function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  return e?.code === "23505" || e?.cause?.code === "23505";
}

function affected(result: unknown): number {
  const r = result as { rowCount?: number | null; affectedRows?: number };
  return Number(r.rowCount ?? r.affectedRows ?? 0);
}

/** Drops a sync's spill-over (at its end, or a dead process's at the shop's next sync). */
export async function clearStaging(db: Executor, shop: string, syncId?: string): Promise<void> {
  const sync = syncId ? sql`and sync_id = ${syncId}` : sql``;
  await db.execute(sql`delete from catalog_sync_products where shop = ${shop} ${sync}`);
  await db.execute(sql`delete from catalog_sync_variants where shop = ${shop} ${sync}`);
}
