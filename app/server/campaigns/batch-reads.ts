import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import { type Db, profiles } from "@cartback/db";
import { catalogRows, catalogs } from "@cartback/db/schema/index";
import { and, eq, inArray } from "drizzle-orm";
import { rowFromRecord } from "../catalog/rows-sql.ts";
import { rowToProfileState } from "../profiles/codec.ts";

export interface ProfileRef {
  shop: string;
  profileId: string;
}

export interface CatalogWant {
  shop: string;
  catalog: string;
  identities: string[];
}

/** Map keys of the batched reads: shop domains and ids never hold a newline. */
export const profileKey = (shop: string, profileId: string) => `${shop}\n${profileId}`;
export const catalogKey = (shop: string, catalog: string) => `${shop}\n${catalog}`;

/** As profiles/repository.ts resolveProfile: merges chain at most this deep. */
const MAX_MERGE_HOPS = 16;

/**
 * The read models of a batch's profiles: one statement per merge hop (one when none of them
 * merged), whatever the number of profiles. A merged id resolves to its survivor.
 */
export async function loadProfileStates(db: Db, refs: ProfileRef[]): Promise<Map<string, ProfileState | null>> {
  const result = new Map<string, ProfileState | null>();
  // The id each wanted profile stands at now → the wanted keys that reached it.
  let pending = new Map<string, { shop: string; id: string; wanted: string[] }>();
  for (const { shop, profileId } of refs) {
    const key = profileKey(shop, profileId);
    pending.set(key, { shop, id: profileId, wanted: [...(pending.get(key)?.wanted ?? []), key] });
  }
  for (let hop = 0; hop < MAX_MERGE_HOPS && pending.size > 0; hop++) {
    const entries = [...pending.values()];
    const rows = await db
      .select()
      .from(profiles)
      .where(and(inArray(profiles.shop, [...new Set(entries.map((e) => e.shop))]), inArray(profiles.id, entries.map((e) => e.id))));
    const rowOf = new Map(rows.map((r) => [profileKey(r.shop, r.id), r]));
    const next = new Map<string, { shop: string; id: string; wanted: string[] }>();
    for (const entry of entries) {
      const row = rowOf.get(profileKey(entry.shop, entry.id));
      if (row?.mergedInto) {
        const key = profileKey(entry.shop, row.mergedInto);
        next.set(key, { shop: entry.shop, id: row.mergedInto, wanted: [...(next.get(key)?.wanted ?? []), ...entry.wanted] });
      } else {
        for (const key of entry.wanted) result.set(key, row ? rowToProfileState(row) : null);
      }
    }
    pending = next;
  }
  for (const entry of pending.values()) for (const key of entry.wanted) result.set(key, null);
  return result;
}

/**
 * Live catalog rows for a batch in one statement: every wanted (shop, catalog, identity),
 * grouped by catalogKey. Rows another shop's want matched by chance are dropped.
 */
export async function loadCatalogRowsFor(db: Db, wants: CatalogWant[]): Promise<Map<string, CatalogRow[]>> {
  const result = new Map<string, CatalogRow[]>();
  const wanted = new Set(wants.flatMap((w) => w.identities.map((id) => `${catalogKey(w.shop, w.catalog)}\n${id}`)));
  if (wanted.size === 0) return result;
  const records = await db
    .select({ row: catalogRows })
    .from(catalogRows)
    .innerJoin(catalogs, and(eq(catalogs.shop, catalogRows.shop), eq(catalogs.name, catalogRows.catalog), eq(catalogs.liveVersion, catalogRows.version)))
    .where(and(
      inArray(catalogRows.shop, [...new Set(wants.map((w) => w.shop))]),
      inArray(catalogRows.catalog, [...new Set(wants.map((w) => w.catalog))]),
      inArray(catalogRows.identity, [...new Set(wants.flatMap((w) => w.identities))]),
    ));
  for (const { row } of records) {
    const key = catalogKey(row.shop, row.catalog);
    if (!wanted.has(`${key}\n${row.identity}`)) continue;
    const list = result.get(key) ?? [];
    list.push(rowFromRecord(row));
    result.set(key, list);
  }
  return result;
}
