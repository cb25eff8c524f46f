import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import type { Db } from "@cartback/db";
import { getCatalogRows } from "../catalog/repository.ts";
import { loadProfileState } from "../profiles/repository.ts";

/**
 * What the scheduler reads from other areas at send time. The worker takes them as a
 * parameter so process-level tests and the benchmark can run without the events pipeline.
 */
export interface CampaignDeps {
  /** The live read model; null when the profile is gone (a merged id resolves to its survivor). */
  loadProfile(db: Db, shop: string, profileId: string): Promise<ProfileState | null>;
  /** Live rows of the campaign's mapped catalog for these identities. */
  loadCatalogRows(db: Db, shop: string, catalog: string, identities: string[]): Promise<CatalogRow[]>;
}

export function defaultDeps(): CampaignDeps {
  return {
    loadProfile: loadProfileState,
    loadCatalogRows: getCatalogRows,
  };
}
