/**
 * Probe for the event inbox's drain (not part of bench:ingest's report): queues N pixel events
 * of B browsers through the ingest service (CARTBACK_EVENT_BURST=0: everything is a burst),
 * then times the drain until the inbox is empty. PostgreSQL from BENCH_DATABASE_URL.
 *   node --import tsx bench/ingest-drain-probe.ts <events> <browsers>
 */
import os from "node:os";
import { sql } from "drizzle-orm";
import { loadConfig } from "../app/server/config.ts";
import { startEventDrain } from "../app/server/event-inbox/drain.ts";
import { createLogger } from "../app/server/logger.ts";
import { createRuntime } from "../app/server/runtime.ts";
import { installShopForBench } from "./ingest-shop.ts";

const [events = 20_000, browsers = 5_000] = process.argv.slice(2).map(Number);
process.env.CARTBACK_EVENT_BURST = "0";
const url = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/cartback_bench_h2";
const config = loadConfig({ NODE_ENV: "production", LOG_LEVEL: "warn", CARTBACK_WORKER: "off", DATABASE_URL: url, DATABASE_POOL_SIZE: "10", CARTBACK_DATA_DIR: os.tmpdir() });
const runtime = await createRuntime(config, createLogger({ level: "warn" }));
const shop = `probe-${Date.now()}.myshopify.com`;
await installShopForBench(runtime.database.db, shop);
const drain = startEventDrain(runtime);
const run = Date.now().toString(36);
const pixel = (n: number) => ({
  id: `p-${run}-${n}`,
  name: "product_added_to_cart",
  clientId: `px-${run}-${n % browsers}`,
  timestamp: new Date(Date.now() - 3_600_000 + n).toISOString(),
  data: { cartLine: { quantity: 1, merchandise: { id: `${44843038015702 + (n % 50)}`, price: { amount: 749.95, currencyCode: "USD" }, product: { id: "8273464099030", title: "Snowboard" } } } },
});
const waiting = async () => Number(((await runtime.database.db.execute(sql`select count(*)::int as n from event_inbox where shop = ${shop}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
let started = performance.now();
const submits: Promise<unknown>[] = [];
for (let n = 0; n < events; n++) submits.push(runtime.ingest.submit({ shop, source: "pixel", items: [pixel(n)], receivedAt: new Date() }));
await Promise.all(submits);
const stored = (performance.now() - started) / 1000;
const before = drain.applied;
started = performance.now();
while ((await waiting()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${events} events of ${browsers} browsers: queued in ${stored.toFixed(1)} s; drained (${drain.applied - before} after queueing) in ${seconds.toFixed(1)} s; ${Math.round(events / (stored + seconds))} events/s overall; load ${os.loadavg()[0]!.toFixed(1)}\n`);
await drain.stop();
await runtime.database.close();
