import { type Db, campaigns, shops } from "@cartback/db";
import { eq } from "drizzle-orm";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";

/**
 * Idempotent: a first install creates the shop with the default campaign (15 minutes, one
 * step, consent required); a reinstall clears uninstalledAt and keeps every setting. A shop
 * that ever had a campaign gets none back: a merchant who deleted them all meant it (self-hosted
 * mode records the install on every start).
 */
export async function recordInstall(db: Db, shop: string): Promise<void> {
  await db.insert(shops).values({ shop }).onConflictDoUpdate({ target: shops.shop, set: { uninstalledAt: null } });
  const [any] = await db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.shop, shop)).limit(1);
  if (!any) await ensureDefaultCampaign(db, shop);
}
