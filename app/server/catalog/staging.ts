import type { ProductFacts, VariantFacts } from "@cartback/core/catalog/variant-row";
import { sql } from "drizzle-orm";
import type { CopyTable, CopyValue } from "./copy-rows.ts";
import { type Executor, storableJson } from "./rows-sql.ts";

/** Where a sync's spill-over goes: its shop and its id. */
export interface StagingTarget {
  shop: string;
  syncId: string;
}

/** catalog_sync_staging's columns, in the order stagedValues gives them. */
export const STAGING_COPY: CopyTable = { table: "catalog_sync_staging", columns: ["shop", "sync_id", "kind", "key", "parent", "facts"] };

/**
 * One staged object as a COPY row (see copy-rows.ts). A product or variant listed twice is
 * kept once: the first wins, as for rows.
 */
export function stagedValues(target: StagingTarget, kind: "product" | "variant", key: string, parent: string | null, facts: ProductFacts | VariantFacts): CopyValue[] {
  return [target.shop, target.syncId, kind, key, parent, storableJson(facts)];
}

export interface StagedVariant {
  key: string;
  variant: string;
  /** The product's facts, or null when the result never listed it (an orphan). */
  product: string | null;
}

/**
 * The next `limit` spilled variants after `afterKey`, each with its product's facts: two
 * index lookups (the product ids as `= any(array)`; ids are digits, so a comma list is safe).
 * Call analyzeStaging first.
 */
export async function stagedVariantsAfter(db: Executor, target: StagingTarget, afterKey: string, limit: number): Promise<StagedVariant[]> {
  const page = await db.execute(sql`
    select key, parent, facts from catalog_sync_staging
    where shop = ${target.shop} and sync_id = ${target.syncId} and kind = 'variant' and key > ${afterKey}
    order by key
    limit ${limit}`);
  const variants = (page as unknown as { rows: Array<{ key: string; parent: string; facts: string }> }).rows;
  if (variants.length === 0) return [];
  const parents = [...new Set(variants.map((v) => v.parent))];
  const found = await db.execute(sql`
    select key, facts from catalog_sync_staging
    where shop = ${target.shop} and sync_id = ${target.syncId} and kind = 'product'
      and key = any(string_to_array(${parents.join(",")}, ','))`);
  const products = new Map((found as unknown as { rows: Array<{ key: string; facts: string }> }).rows.map((p) => [p.key, p.facts]));
  return variants.map((v) => ({ key: v.key, variant: v.facts, product: products.get(v.parent) ?? null }));
}

/**
 * Gives the planner statistics for what was just staged. Without them it takes the table for
 * empty and answers each page's product lookup by walking every staged product of the sync
 * (measured: the 100k-variant bench did not finish in minutes); ANALYZE samples at most
 * 30,000 rows, a fraction of a second.
 */
export async function analyzeStaging(db: Executor): Promise<void> {
  await db.execute(sql`analyze catalog_sync_staging`);
}

/** Drops a sync's spill-over (at its end, or a dead process's at the shop's next sync). */
export async function clearStaging(db: Executor, shop: string, syncId?: string): Promise<void> {
  await db.execute(sql`delete from catalog_sync_staging where shop = ${shop} ${syncId ? sql`and sync_id = ${syncId}` : sql``}`);
}
