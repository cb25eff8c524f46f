import path from "node:path";
import { schema } from "@cartback/db";
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { type Allowed, findUnscoped, type ShopTableNames, sourceFiles, unexplained } from "./shop-scope.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

// Every table with a `shop` column, from the schema itself: a table added later is covered.
const SHOP_TABLES: ShopTableNames[] = Object.entries(schema as Record<string, unknown>)
  .filter((entry): entry is [string, PgTable] => is(entry[1], PgTable) && "shop" in getTableColumns(entry[1] as PgTable))
  .map(([exportName, table]) => ({ exportName, sqlName: getTableName(table) }));

// Known exceptions, each with why. Two kinds: queries that span shops on purpose (under Citus
// multi-shard, correct but fanned out; on separate clusters each cluster runs its own), and
// queries by a globally unique id (uuid) made where the shop is known, so they run on the
// shop's cluster but would not route to one Citus shard: adding `shop` to them is open work
// (docs/scaling.md). The list only shrinks: a new unscoped query fails this test.
const byId = "by a unique id (uuid) in a shop's context: right cluster, but no single-shard routing until `shop` is added";
const ALLOWED: Allowed[] = [
  { file: "app/server/campaigns/deliver.ts", table: "campaign_sends", why: "the worker claims due sends of every shop, then updates them by id" },
  { file: "app/server/campaigns/due-batch.ts", table: "campaign_sends", why: "the worker's due batch spans shops; looked up by idempotency key" },
  { file: "app/server/campaigns/episodes.ts", table: "campaign_episodes", why: byId },
  { file: "app/server/catalog/sync-records.ts", table: "catalog_syncs", why: byId },
  { file: "app/server/catalog/sync.ts", table: "catalog_syncs", why: byId },
  { file: "app/server/revenue/clicks.ts", table: "revenue_clicks", why: byId },
  { file: "app/server/webhook-inbox/store.ts", table: "webhook_inbox", why: "the drain leases waiting rows of every shop (one drain per shop), then deletes or releases them by id" },
  { file: "app/server/maintenance.ts", table: "shops", why: "housekeeping walks every installed shop: `shops` is the directory (a Citus reference table)" },
  { file: "app/server/shopify/admin-token.ts", table: "session", why: "the session id is `offline_<shop>`: the shop is in the key" },
  { file: "app/server/catalog/product-webhooks.ts", table: "catalog_rows", why: "scoped through inVersions(), which the text check cannot see into" },
  { file: "app/server/profile-views/list.ts", table: "profiles", why: "scoped through the filters array built above the query" },
];

describe("every query on a shop table filters by shop (the precondition for sharding by shop)", () => {
  it("finds the shop tables in the schema", () => {
    expect(SHOP_TABLES.map((t) => t.sqlName)).toEqual(expect.arrayContaining(["profiles", "profile_events", "catalog_rows", "campaign_sends"]));
  });

  it("flags an unscoped drizzle query and an unscoped raw query, and passes scoped ones", () => {
    const tables = [{ exportName: "profiles", sqlName: "profiles" }];
    const code = [
      "const a = await db.select().from(profiles).where(eq(profiles.id, id));",
      "const b = await db.select().from(profiles).where(and(eq(profiles.shop, shop), eq(profiles.id, id)));",
      "await db.execute(sql`delete from profiles where id = ${id}`);",
      "await db.execute(sql`delete from profiles where shop = ${shop} and id = ${id}`);",
    ].join("\n");
    expect(findUnscoped("x.ts", code, tables).map((f) => f.line)).toEqual([1, 3]);
  });

  it("holds for the app, the database package and the workspaces' sources", () => {
    const files = ["app", "db/src", "packages"].flatMap((dir) => sourceFiles(path.join(ROOT, dir)))
      .filter((f) => !f.includes(`${path.sep}shopify-fake${path.sep}`) && !f.includes(`${path.sep}testing${path.sep}`));
    const found = unexplained(ROOT, files, SHOP_TABLES, ALLOWED);
    expect(found.map((f) => `${f.file}:${f.line} ${f.table}: ${f.statement.replace(/\s+/g, " ")}`)).toEqual([]);
  });
});
