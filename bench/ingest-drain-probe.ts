/**
 * Probe for the event inbox's drain (not part of bench:ingest's report): queues N pixel events
 * of B browsers through the ingest service (CARTBACK_EVENT_BURST=0: everything is a burst),
 * then times the drain until the inbox is empty, with the event-loop delay meanwhile and the
 * event-loop time each drain transaction was busy. PostgreSQL from BENCH_DATABASE_URL.
 * CARTBACK_PROBE_BURST=1 nudges the drain every 100 ms, as arrivals in a burst do.
 *   node --import tsx bench/ingest-drain-probe.ts <events> <browsers>
 */
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
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
const busyBefore = drain.busy;
const delay = monitorEventLoopDelay({ resolution: 5 });
delay.enable();
const burst = process.env.CARTBACK_PROBE_BURST === "1" ? setInterval(() => drain.nudge(), 100) : undefined;
started = performance.now();
while ((await waiting()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
const seconds = (performance.now() - started) / 1000;
clearInterval(burst);
delay.disable();
const busy = drain.busy;
const transactions = busy.transactions - busyBefore.transactions;
const ms = (ns: number) => (ns / 1e6).toFixed(0);
process.stdout.write(`${events} events of ${browsers} browsers: queued in ${stored.toFixed(1)} s; drained (${drain.applied - before} after queueing) in ${seconds.toFixed(1)} s; ${Math.round(events / (stored + seconds))} events/s overall; load ${os.loadavg()[0]!.toFixed(1)}\n`);
process.stdout.write(`drain: ${transactions} transactions, loop busy ${((busy.activeMs - busyBefore.activeMs) / Math.max(1, transactions)).toFixed(0)} ms each (max ${busy.maxActiveMs.toFixed(0)}); event-loop delay p50 ${ms(delay.percentile(50))} / p99 ${ms(delay.percentile(99))} / max ${ms(delay.max)} ms\n`);
await drain.stop();
await runtime.database.close();
