import { sessionTable } from "@cartback/db/schema/index";
import type { Database } from "@cartback/db";
import { eq } from "drizzle-orm";
import type { Config } from "../config.ts";

export type AdminCredentials =
  | { type: "ok"; origin: string; accessToken: string }
  | { type: "not_installed"; reason: string };

/**
 * Self-hosted custom apps use SHOPIFY_ADMIN_TOKEN for their one shop; partner installs use
 * the offline session stored at OAuth. SHOPIFY_ADMIN_API_ORIGIN (tests, local fakes)
 * replaces https://{shop} as the host.
 */
export async function adminCredentials(config: Config, database: Database, shop: string): Promise<AdminCredentials> {
  const origin = config.adminApiOrigin ?? `https://${shop}`;
  if (config.mode.type === "self-hosted") {
    if (config.mode.shop !== shop) return { type: "not_installed", reason: `this installation serves ${config.mode.shop} only` };
    return { type: "ok", origin, accessToken: config.mode.adminToken };
  }
  const [session] = await database.db
    .select({ accessToken: sessionTable.accessToken })
    .from(sessionTable)
    .where(eq(sessionTable.id, `offline_${shop}`));
  if (!session?.accessToken) return { type: "not_installed", reason: "no offline session for this shop" };
  return { type: "ok", origin, accessToken: session.accessToken };
}
