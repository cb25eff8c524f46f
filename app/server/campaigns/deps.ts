import type { CatalogRow } from "@cartback/core/catalog/row";
import type { ProfileState } from "@cartback/core/profile/state";
import type { Db } from "@cartback/db";

/**
 * What the scheduler reads from other areas at send time. The worker takes them as a
 * parameter so the rules can be exercised before (and independently of) those areas.
 */
export interface CampaignDeps {
  /** The live read model (issue 3's `loadProfileState`); null when the profile is gone. */
  loadProfile(db: Db, shop: string, profileId: string): Promise<ProfileState | null>;
  /** Rows of the Shopify catalog for these variant ids (issue 5's `getCatalogRows`). */
  loadCatalogRows(db: Db, shop: string, identities: string[]): Promise<CatalogRow[]>;
}

/**
 * The production wiring. Profiles and the catalog are other areas still landing; until the
 * profile reader exists a due step fails loudly (and stays due) rather than being decided on
 * made-up state.
 */
export function defaultDeps(): CampaignDeps {
  return {
    async loadProfile() {
      throw new Error("campaigns: no profile reader wired (app/server/profiles loadProfileState)");
    },
    async loadCatalogRows() {
      return [];
    },
  };
}
