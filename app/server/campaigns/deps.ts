import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import type { Db } from "@cartback/db";
import { type CatalogWant, type ProfileRef, loadCatalogRowsFor, loadProfileStates, profileKey } from "./batch-reads.ts";

export { type CatalogWant, type ProfileRef, catalogKey, profileKey } from "./batch-reads.ts";

/**
 * What the scheduler reads from other areas at send time, for a whole batch at once. The
 * worker takes them as a parameter so process-level tests and the benchmark can run without
 * the events pipeline.
 */
export interface CampaignDeps {
  /**
   * The live read models by profileKey; null when a profile is gone. A merged id resolves to
   * its survivor (whose `profileId` the state then carries).
   */
  loadProfiles(db: Db, refs: ProfileRef[]): Promise<Map<string, ProfileState | null>>;
  /** Live rows of each shop's catalog for these identities, by catalogKey. */
  loadCatalogRows(db: Db, wants: CatalogWant[]): Promise<Map<string, CatalogRow[]>>;
}

export function defaultDeps(): CampaignDeps {
  return { loadProfiles: loadProfileStates, loadCatalogRows: loadCatalogRowsFor };
}

/** Deps over an in-memory profile source, no catalog rows (fixtures, tests, the benchmark). */
export function depsFromProfiles(profileOf: (shop: string, profileId: string) => ProfileState | null): CampaignDeps {
  return {
    async loadProfiles(_db, refs) {
      return new Map(refs.map((r) => [profileKey(r.shop, r.profileId), profileOf(r.shop, r.profileId)]));
    },
    async loadCatalogRows() {
      return new Map();
    },
  };
}
