/**
 * `npm run bench:ingest`: the real server (Express + built Remix app) on PostgreSQL, loaded
 * from a second process (bench/ingest-load.ts, autocannon) with realistic API batches
 * (10 shoppers × 10 events per request) and with single pixel events on /collect at 16 to
 * 1,024 connections. Each phase is followed by the same bodies at the same connections to the
 * write ceiling (bench/ingest-ceiling.ts: one multi-row INSERT per request into a table with
 * the same columns and 3 indexes, pool 10), so every ratio compares one window of this shared
 * machine. Database name from BENCH_DATABASE. Writes bench/results/ingest.md.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Db, profileEvents } from "@cartback/db";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Result } from "autocannon";
import { buildIfStale } from "../scripts/build-if-stale.mjs";
import { loadConfig } from "../app/server/config.ts";
import { loadBuiltApp } from "../app/server/built-app.ts";
import { startCeilingServer } from "./ingest-ceiling.ts";
import { INGEST_HISTORY } from "./ingest-history.ts";
import { INGEST_NOTES } from "./ingest-notes.ts";
import { installShopForBench } from "./ingest-shop.ts";
import { runLoad } from "./support/load-process.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = process.env.BENCH_DATABASE ?? "cartback_bench_ingest";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** A real deployment serves many shops; the single-shop phases are the worst case. */
const MANY_SHOPS = 8;
const SINGLE_CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "16,64,256,1024").split(",").map(Number);

interface Phase {
  label: string;
  kind: "batch" | "single";
  path: string;
  connections: number;
  eventsPerRequest: number;
  shops: number;
}

type Measured = Result & { sent: number };
interface Pair {
  phase: Phase;
  app: Measured;
  ceiling: Measured;
  drain: Drained;
}

/** After a phase: how long until the event inbox was empty, and events applied per second over the phase and that time. */
interface Drained {
  seconds: number;
  applied: number;
  appliedPerSecond: number;
  /** Rows waiting in the inbox when the load stopped. */
  backlogAtEnd: number;
  /** The server's event-loop delay over the phase (ms): what an answer waits before its handler runs. */
  loopDelay: { p50: number; p99: number; max: number };
  /** The server process's CPU time (user + system) over the phase, ms: answers and the drain, not the load generator. */
  cpuMs: number;
}

const countRows = async (db: Db, table: "profile_events" | "event_inbox") =>
  Number(((await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);

/** Polls the inbox until it is empty (at most 600 s); seconds waited, or -1. */
async function inboxEmpty(db: Db): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 600_000) {
    if ((await countRows(db, "event_inbox")) === 0) return (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return -1;
}

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME}`);
  await admin.query(`create database ${DB_NAME}`);
  const version = (await admin.query("select version()")).rows[0].version as string;
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  process.env.BENCH_PG_VERSION = version.split(" on ")[0];
  return url.toString();
}

const load = runLoad<Measured>;

async function main() {
  buildIfStale({ quiet: true });
  const databaseUrl = await freshDatabase();
  process.env.CARTBACK_BENCH = "1";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cartback-bench-"));
  const config = loadConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", CARTBACK_WORKER: "inline", CARTBACK_RATE_LIMITS: "off", CARTBACK_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "10" });
  const app = await loadBuiltApp();
  const server = await app.entry.startServer(config, app, { quiet: true });
  const ceiling = await startCeilingServer(databaseUrl);
  const db = server.runtime.database.db;
  const loadAtStart = os.loadavg();
  const installed: { shop: string; apiKey: string; pixelKey: string }[] = [];
  for (let i = 0; i < MANY_SHOPS; i++) {
    const shop = i === 0 ? "bench-ingest.myshopify.com" : `bench-ingest-${i}.myshopify.com`;
    installed.push({ shop, ...(await installShopForBench(db, shop)) });
  }
  const batchConnections = Number(process.env.BENCH_BATCH_CONNECTIONS ?? 4);
  const phases: Phase[] = [
    { label: "batched, POST /api/v1/events, 1 shop", kind: "batch", path: "/api/v1/events", connections: batchConnections, eventsPerRequest: 100, shops: 1 },
    { label: `batched, POST /api/v1/events, ${MANY_SHOPS} shops`, kind: "batch", path: "/api/v1/events", connections: batchConnections, eventsPerRequest: 100, shops: MANY_SHOPS },
    ...SINGLE_CONNECTIONS.map((connections): Phase => ({ label: "single pixel events, POST /collect, 1 shop", kind: "single", path: "/collect", connections, eventsPerRequest: 1, shops: 1 })),
  ];
  const pairs: Pair[] = [];
  for (const [i, phase] of phases.entries()) {
    const spec = { path: phase.path, kind: phase.kind, shops: installed.slice(0, phase.shops), connections: phase.connections, headers: { "content-type": phase.kind === "single" ? "text/plain" : "application/json" } };
    const measure = async (url: string, run: string) => {
      await load({ ...spec, url, run: `warm-${run}`, seconds: 2 });
      if (url !== server.url) return load({ ...spec, url, run, seconds: SECONDS });
      await inboxEmpty(db);
      before = await countRows(db, "profile_events");
      // The server runs in this process: its event loop is this one.
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      const cpuBefore = process.cpuUsage();
      const result = await load({ ...spec, url, run, seconds: SECONDS });
      const cpu = process.cpuUsage(cpuBefore);
      cpuMs = (cpu.user + cpu.system) / 1000;
      delay.disable();
      const ms = (ns: number) => Math.round(ns / 1e6);
      loopDelay = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
      return result;
    };
    let before = 0;
    let loopDelay = { p50: 0, p99: 0, max: 0 };
    let cpuMs = 0;
    const appResult = await measure(server.url, `app${i}`);
    const queuedAtEnd = await countRows(db, "event_inbox");
    const drainSeconds = await inboxEmpty(db);
    const applied = (await countRows(db, "profile_events")) - before;
    const drain = { seconds: drainSeconds, applied, appliedPerSecond: applied / (appResult.duration + Math.max(0, drainSeconds)), backlogAtEnd: queuedAtEnd, loopDelay, cpuMs };
    const ceilingResult = await measure(ceiling.url, `ceiling${i}`);
    pairs.push({ phase, app: appResult, ceiling: ceilingResult, drain });
    process.stdout.write(`${phase.label} @${phase.connections}: ${Math.round(rate(appResult))} req/s (p99 ${appResult.latency.p99} ms) vs ceiling ${Math.round(rate(ceilingResult))} (p99 ${ceilingResult.latency.p99} ms), non-2xx ${appResult.non2xx}; applied ${Math.round(drain.appliedPerSecond)} events/s, inbox empty ${drain.seconds.toFixed(1)} s after; loop delay p50/p99/max ${drain.loopDelay.p50}/${drain.loopDelay.p99}/${drain.loopDelay.max} ms; server CPU ${cpuPerEvent(appResult, phase, drain).toFixed(0)} µs per acknowledged event\n`);
  }
  const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(profileEvents)) as [{ count: number }];
  await ceiling.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  writeFileSync(path.join(here, "results/ingest.md"), report(pairs, count, loadAtStart));
  process.stdout.write(`wrote bench/results/ingest.md\n`);
}

/** Answered 2xx per second: a request refused (429, 503) is no event stored. */
const rate = (r: Result) => r["2xx"] / r.duration;
/** Server CPU (answers and drain) per acknowledged event, µs: what a phase cost this process, whatever the machine's load. */
const cpuPerEvent = (r: Result, phase: Phase, drain: Drained) => (1000 * drain.cpuMs) / Math.max(1, r["2xx"] * phase.eventsPerRequest);
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");

function report(pairs: Pair[], stored: number, loadAtStart: number[]): string {
  const cpu = os.cpus();
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  const ratio = (p: Pair) => rate(p.app) / rate(p.ceiling);
  const line = (p: Pair) =>
    `| ${p.phase.label} | ${p.phase.connections} | ${fmt(rate(p.app) * p.phase.eventsPerRequest)} | ${p.app.latency.p50} / ${p.app.latency.p99} | ${fmt(rate(p.ceiling) * p.phase.eventsPerRequest)} | ${p.ceiling.latency.p50} / ${p.ceiling.latency.p99} | ${ratio(p).toFixed(2)} | ${p.app.non2xx + p.app.errors} |`;
  const drainLine = (p: Pair) =>
    `| ${p.phase.label} | ${p.phase.connections} | ${fmt(rate(p.app) * p.phase.eventsPerRequest)} | ${fmt(p.drain.backlogAtEnd)} | ${p.drain.seconds < 0 ? "not within 600 s" : p.drain.seconds.toFixed(1)} | ${fmt(p.drain.applied)} | ${fmt(p.drain.appliedPerSecond)} | ${p.drain.loopDelay.p50} / ${p.drain.loopDelay.p99} / ${p.drain.loopDelay.max} | ${cpuPerEvent(p.app, p.phase, p.drain).toFixed(0)} |`;
  const batched = pairs.filter((p) => p.phase.kind === "batch");
  const single = pairs.filter((p) => p.phase.kind === "single");
  const targets = [
    ...batched.map((p) => `- ${p.phase.label}: ${verdict(ratio(p) >= 0.6)} ${ratio(p).toFixed(2)} of the write ceiling (≥ 0.6)`),
    ...single.map((p) => `- /collect at ${p.phase.connections} connections: ${verdict(ratio(p) >= 0.5)} ${ratio(p).toFixed(2)} of the write ceiling (≥ 0.5) · ${verdict(p.app.latency.p99 <= 100)} p99 ${p.app.latency.p99} ms (≤ 100)`),
    `- /collect throughput never lower at more connections: ${verdict(single.every((p, i) => i === 0 || rate(p.app) >= rate(single[i - 1]!.app)))} (${single.map((p) => fmt(rate(p.app))).join(" → ")} events/s)`,
  ];
  return `## Event ingest (\`npm run bench:ingest\`)

${new Date().toISOString()} · ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM · Node ${process.version} · ${process.env.BENCH_PG_VERSION} · load average at the start ${load(loadAtStart)}, at the end ${load(os.loadavg())} (machine shared with other jobs)

The real server (\`startServer\`: the event endpoints in a plain Node handler ahead of Express + the built Remix app)
on PostgreSQL in the bench process, pool of 10 connections; load from a second process (autocannon,
\`bench/ingest-load.ts\`) for ${SECONDS} s per phase after a 2 s warm-up. Batched: 100 events per request, 10 new
shoppers × 10 events (adds, removes, /cart.js snapshots, Identify, Checkout Started) as a custom source sends them.
Single: one web pixel \`product_added_to_cart\` per \`/collect\` request, as the pixel sends them, 5,000 browsers
(so browsers return within a phase). \`npm start\`'s configuration (inline worker): below 50 requests or 500 events a
second a request's events are committed (stitched, stored, profile derived, campaign hook run; synchronous_commit on) before its answer;
above it (a burst) they are committed to the event inbox (one INSERT for many requests) and answered \`queued\`, and
the drain applies them in transactions of 100 events while the burst lasts and 500 after it (app/server/event-inbox). "events/s" below counts
acknowledged events (2xx answers); the second table says how fast they were applied.
**Write ceiling**, run right after each phase with the same bodies and connections (\`bench/ingest-ceiling.ts\`): a
plain Node server, same process, that parses the body and stores its events with one multi-row INSERT per request
(autocommit, synchronous_commit on, pool 10) into a table with profile_events' columns and its 3 indexes.

| phase | connections | events/s | p50 / p99 ms | ceiling events/s | ceiling p50 / p99 ms | ratio | non-2xx + errors |
|---|---:|---:|---:|---:|---:|---:|---:|
${pairs.map(line).join("\n")}

Acknowledging is only buffering unless the drain keeps up: per phase, the inbox's backlog when the load stopped, the
time until it was empty (the ceiling runs after that), and the events applied over the phase and that time
(profile_events rows added ÷ (phase + drain) seconds), and the server's event-loop delay during the phase
(\`monitorEventLoopDelay\`: how long a ready answer waited for the loop, mostly on the drain's stitching and deriving; sampled every 5 ms, so 5 is
its floor), and the server process's CPU time over the phase (answers and drain; \`process.cpuUsage\`) per acknowledged event, which
depends far less on the machine's load than the rates do:

| phase | connections | acknowledged events/s | backlog at the end | inbox empty after s | events applied | applied events/s | loop delay p50 / p99 / max ms | server CPU µs / event |
|---|---:|---:|---:|---:|---:|---:|---:|---:|
${pairs.map(drainLine).join("\n")}

Events stored at the end: ${stored.toLocaleString("en")} (all phases writing to the database, warm-ups included).

Targets (issue 18):
${targets.join("\n")}

${INGEST_NOTES}

${INGEST_HISTORY}
`;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
