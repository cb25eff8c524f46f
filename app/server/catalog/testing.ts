import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@cartback/db";
import { shops } from "@cartback/db";
import { type FakeAdminOptions, type FakeShopifyAdmin, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { loadConfig } from "../config.ts";
import { createLogger } from "../logger.ts";
import { createAdminClient } from "../shopify/admin-client.ts";
import type { CatalogDeps } from "./sync.ts";

/** Shopify data in the repository: MIT-licensed captures and generated stand-ins (fixtures/shopify/PROVENANCE.md). */
export const SHOPIFY_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../fixtures/shopify");
export const TEST_ADMIN_TOKEN = "shpat_catalogtest0001";
export const TEST_API_SECRET = "catalog-test-secret";

export interface CatalogHarness {
  shop: string;
  fake: FakeShopifyAdmin;
  deps: CatalogDeps;
  env: Record<string, string>;
}

/** A self-hosted install of `shop` talking to a fresh fake Admin API, Catalog Sync on. */
export async function catalogHarness(database: Database, shop: string, fakeOptions: FakeAdminOptions = {}, enabled = true): Promise<CatalogHarness> {
  const fake = await startFakeShopifyAdmin({ shop, accessToken: TEST_ADMIN_TOKEN, ...fakeOptions });
  const env = {
    NODE_ENV: "test", LOG_LEVEL: "silent", CARTBACK_WORKER: "off",
    SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: TEST_ADMIN_TOKEN, SHOPIFY_API_SECRET: TEST_API_SECRET, SHOPIFY_ADMIN_API_ORIGIN: fake.origin,
  };
  const config = loadConfig(env);
  await database.db.insert(shops).values({ shop, catalogSyncEnabled: enabled }).onConflictDoNothing();
  const deps: CatalogDeps = {
    database,
    admin: createAdminClient({ config, database, sleep: async () => {} }),
    logger: createLogger({ level: "silent" }),
    batchSize: 100,
  };
  return { shop, fake, deps, env };
}
