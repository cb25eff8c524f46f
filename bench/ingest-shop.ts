import { type Db, shops } from "@cartback/db";
import { ensurePixelKey, issueApiKey } from "../app/server/shops/keys.ts";

/** An installed shop with cart tracking on, for the ingest benchmark. */
export async function installShopForBench(db: Db, shop: string) {
  await db.insert(shops).values({ shop, currency: "USD" }).onConflictDoNothing();
  return { apiKey: await issueApiKey(db, shop), pixelKey: await ensurePixelKey(db, shop) };
}
