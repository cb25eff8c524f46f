import { type Db, shops } from "@cartback/db";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";

/**
 * Idempotent: a first install creates the shop with the default campaign (15 minutes, one
 * step, consent required); a reinstall clears uninstalledAt and keeps every setting.
 */
export async function recordInstall(db: Db, shop: string): Promise<void> {
  await db.insert(shops).values({ shop }).onConflictDoUpdate({ target: shops.shop, set: { uninstalledAt: null } });
  await ensureDefaultCampaign(db, shop);
}
