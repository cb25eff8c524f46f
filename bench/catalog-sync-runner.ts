// The syncing process of bench/catalog.ts: runs one full Catalog Sync and reports its time
// and peak RSS as one JSON line. It loads only what a sync needs (PostgreSQL driver, schema,
// catalog code), not the embedded PGlite that @cartback/db's openDatabase also imports.
import * as schema from "@cartback/db/schema/index";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Database, Db } from "@cartback/db";
import { runFullSync } from "../app/server/catalog/sync.ts";
import { loadConfig } from "../app/server/config.ts";
import { createLogger } from "../app/server/logger.ts";
import { createAdminClient } from "../app/server/shopify/admin-client.ts";

const [url, origin, shop, token] = process.argv.slice(2) as [string, string, string, string];
const pool = new pg.Pool({ connectionString: url, max: 4 });
const database: Database = {
  kind: "postgres",
  db: drizzle({ client: pool, schema }) as unknown as Db,
  async query(text, params) {
    return { rows: (await pool.query(text, params as unknown[])).rows as Record<string, unknown>[] };
  },
  ping: async () => true,
  migrate: async () => {},
  close: () => pool.end(),
};
const config = loadConfig({ NODE_ENV: "test", SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: token, SHOPIFY_API_SECRET: "bench", SHOPIFY_ADMIN_API_ORIGIN: origin });
const deps = { database, admin: createAdminClient({ config, database }), logger: createLogger({ level: "silent" }) };

const rssBefore = process.memoryUsage.rss();
let peak = rssBefore;
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);
const started = performance.now();
const result = await runFullSync(deps, shop, { pollIntervalMs: 50 });
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
process.stdout.write(`${JSON.stringify({ result, seconds, rssBefore, peakRss: peak })}\n`);
await database.close();
