// The syncing process of bench/catalog.ts: runs one full Catalog Sync and reports its time
// and RSS as one JSON line. It loads only what a sync needs (PostgreSQL driver, schema,
// catalog code), not the embedded PGlite that @cartback/db's openDatabase also imports,
// under the same tsx loader as every Cartback process. Imports are dynamic so that the RSS
// of the bare process (Node + loader) and of the loaded code can be told apart.
import { readFileSync } from "node:fs";
import type { Database, Db } from "@cartback/db";

const rssAtStart = process.memoryUsage.rss();
const v8 = await import("node:v8");
const schema = await import("@cartback/db/schema/index");
const { drizzle } = await import("drizzle-orm/node-postgres");
const { default: pg } = await import("pg");
const { runFullSync } = await import("../app/server/catalog/sync.ts");
const { loadConfig } = await import("../app/server/config.ts");
const { createLogger } = await import("../app/server/logger.ts");
const { createAdminClient } = await import("../app/server/shopify/admin-client.ts");

const [url, origin, shop, token] = process.argv.slice(2) as [string, string, string, string];
const pool = new pg.Pool({ connectionString: url, max: 4 });
const database: Database = {
  kind: "postgres",
  db: drizzle({ client: pool, schema }) as unknown as Db,
  async query(text, params) {
    return { rows: (await pool.query(text, params as unknown[])).rows as Record<string, unknown>[] };
  },
  ping: async () => true,
  dedicated() {
    return this.db;
  },
  migrate: async () => {},
  close: () => pool.end(),
};
const config = loadConfig({ NODE_ENV: "test", SHOPIFY_SHOP: shop, SHOPIFY_ADMIN_TOKEN: token, SHOPIFY_API_SECRET: "bench", SHOPIFY_ADMIN_API_ORIGIN: origin });
const deps = { database, admin: createAdminClient({ config, database }), logger: createLogger({ level: "silent" }) };

const rssBefore = process.memoryUsage.rss();
let peak = rssBefore;
// What the RSS was made of at its peak: V8's heap (young and old space), Buffers, the rest native.
let atPeak = breakdown();
// BENCH_CATALOG_TIMELINE=<n>: every nth sample (n × 10 ms) to stderr, to see the RSS move during a sync.
const every = Number(process.env.BENCH_CATALOG_TIMELINE ?? 0);
let samples = 0;
const timeline = process.env.BENCH_CATALOG_TIMELINE
  ? (now: number) => process.stderr.write(`${now.toFixed(0)} ms ${JSON.stringify({ ...breakdown(), maps: mappings() })}\n`)
  : null;
const timer = setInterval(() => {
  if (timeline && samples++ % every === 0) timeline(performance.now() - started);
  const rss = process.memoryUsage.rss();
  if (rss <= peak) return;
  peak = rss;
  atPeak = breakdown();
}, 10);
const cpuBefore = process.cpuUsage();
const started = performance.now();
// The last poll that still saw the operation running: what follows is Cartback's part
// (download, reassembly, writes, publish), give or take one 50 ms poll of Shopify's.
let lastRunning = started;
const result = await runFullSync(deps, shop, {
  pollIntervalMs: 50,
  onPoll: (poll) => {
    if (poll.type === "still_running") lastRunning = performance.now();
  },
});
const ended = performance.now();
const seconds = (ended - started) / 1000;
const ingestSeconds = (ended - lastRunning) / 1000;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
process.stdout.write(`${JSON.stringify({ result, seconds, ingestSeconds, cpuSeconds, rssAtStart, rssBefore, peakRss: peak, atPeak })}\n`);
await database.close();

/** Resident MB by kind of mapping: the brk heap, files, and anonymous mappings by their size (64 MB: a malloc arena). */
function mappings(): Record<string, number> {
  const out: Record<string, number> = {};
  let key = "";
  for (const line of readFileSync("/proc/self/smaps", "utf8").split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const size = (Number.parseInt(head[2]!, 16) - Number.parseInt(head[1]!, 16)) / 1048576;
      const name = head[3]!.trim();
      key = name === "" ? `anon ${size >= 60 && size <= 64 ? "64M" : size >= 1 ? ">=1M" : "<1M"}` : name.startsWith("/") ? "file" : name;
      continue;
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line);
    if (rss) out[key] = Math.round(((out[key] ?? 0) + Number(rss[1]) / 1024) * 10) / 10;
  }
  return out;
}

function breakdown(): Record<string, number> {
  const mem = process.memoryUsage();
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.space_size]));
  const mb = (n = 0) => Math.round(n / 1024 / 102.4) / 10;
  return {
    rss: mb(mem.rss), heapTotal: mb(mem.heapTotal), heapUsed: mb(mem.heapUsed), external: mb(mem.external), arrayBuffers: mb(mem.arrayBuffers),
    newSpace: mb(spaces.new_space), oldSpace: mb(spaces.old_space), codeSpace: mb(spaces.code_space), largeObjects: mb(spaces.large_object_space),
  };
}
