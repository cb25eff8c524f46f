/**
 * `npm run bench:ingest`: the real server (Express + built Remix app) on PostgreSQL, loaded
 * from a second process (bench/ingest-load.ts, autocannon) with realistic API batches
 * (10 shoppers × 10 events per request) and with single pixel events on /collect. In the
 * same run, the same bodies go to a parse-only endpoint on the same server: the ceiling.
 * Writes bench/results/ingest.md.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { profileEvents } from "@cartback/db";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Result } from "autocannon";
import { buildIfStale } from "../scripts/build-if-stale.mjs";
import { loadConfig } from "../app/server/config.ts";
import { loadBuiltApp } from "../app/server/built-app.ts";
import { INGEST_NOTES } from "./ingest-notes.ts";
import { installShopForBench } from "./ingest-shop.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = "cartback_bench_ingest";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
/** A real deployment serves many shops; the single-shop phases are the worst case (one shop lock). */
const MANY_SHOPS = 8;

interface Phase {
  label: string;
  kind: "batch" | "single";
  path: string;
  connections: number;
  eventsPerRequest: number;
  shops: number;
}

async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME} with (force)`);
  await admin.query(`create database ${DB_NAME}`);
  const version = (await admin.query("select version()")).rows[0].version as string;
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${DB_NAME}`;
  process.env.BENCH_PG_VERSION = version.split(" on ")[0];
  return url.toString();
}

function load(spec: Record<string, unknown>): Promise<Result & { sent: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "ingest-load.ts"), JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load process exited ${code}`))));
  });
}

async function main() {
  buildIfStale({ quiet: true });
  const databaseUrl = await freshDatabase();
  process.env.CARTBACK_BENCH = "1";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cartback-bench-"));
  const config = loadConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", CARTBACK_WORKER: "off", CARTBACK_RATE_LIMITS: "off", CARTBACK_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "10" });
  const app = await loadBuiltApp();
  const server = await app.entry.startServer(config, app, { quiet: true });
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
    { label: "batched, ceiling (parse only)", kind: "batch", path: "/api/v1/events/parse-only", connections: batchConnections, eventsPerRequest: 100, shops: 1 },
    { label: "single pixel events, POST /collect, 1 shop", kind: "single", path: "/collect", connections: 16, eventsPerRequest: 1, shops: 1 },
    { label: `single pixel events, POST /collect, ${MANY_SHOPS} shops`, kind: "single", path: "/collect", connections: 16, eventsPerRequest: 1, shops: MANY_SHOPS },
    { label: "single, ceiling (parse only)", kind: "single", path: "/api/v1/events/parse-only", connections: 16, eventsPerRequest: 1, shops: 1 },
  ];
  const rows: { phase: Phase; result: Result & { sent: number } }[] = [];
  for (const [i, phase] of phases.entries()) {
    const spec = { url: server.url, path: phase.path, kind: phase.kind, shops: installed.slice(0, phase.shops), connections: phase.connections, headers: { "content-type": phase.kind === "single" ? "text/plain" : "application/json" } };
    await load({ ...spec, run: `warm${i}`, seconds: 2 });
    const result = await load({ ...spec, run: `run${i}`, seconds: SECONDS });
    rows.push({ phase, result });
    process.stdout.write(`${phase.label}: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}\n`);
  }
  const [{ count }] = (await db.select({ count: sql<number>`count(*)::int` }).from(profileEvents)) as [{ count: number }];
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
  writeFileSync(path.join(here, "results/ingest.md"), report(rows, count, loadAtStart));
  process.stdout.write(`wrote bench/results/ingest.md\n`);
}

type Row = { phase: Phase; result: Result & { sent: number } };

function report(rows: Row[], stored: number, loadAtStart: number[]): string {
  const cpu = os.cpus();
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" / ");
  const rate = (r: Result) => r.requests.average;
  const ceilingOf = (phase: Phase) => rows.find((r) => r.phase.kind === phase.kind && r.phase.path.endsWith("parse-only"))!.result;
  const line = ({ phase, result }: Row) =>
    `| ${phase.label} | ${phase.connections} | ${Math.round(rate(result) * phase.eventsPerRequest).toLocaleString("en")} | ${Math.round(rate(result)).toLocaleString("en")} | ${result.latency.p50} | ${result.latency.p99} | ${(rate(result) / rate(ceilingOf(phase))).toFixed(2)} | ${result.non2xx + result.errors} |`;
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const targets = ({ phase, result }: Row) => {
    const eventsPerSecond = rate(result) * phase.eventsPerRequest;
    const ratio = rate(result) / rate(ceilingOf(phase));
    return `- ${phase.label}: ${verdict(eventsPerSecond >= 10_000)} ${Math.round(eventsPerSecond).toLocaleString("en")} events/s (≥ 10,000) · ${verdict(ratio >= 0.5)} ${ratio.toFixed(2)} of the ceiling (≥ 0.5) · ${verdict(result.latency.p99 <= 50)} p99 ${result.latency.p99} ms (≤ 50)`;
  };
  const single = rows.filter((r) => r.phase.kind === "single" && !r.phase.path.endsWith("parse-only"));
  return `## Event ingest (\`npm run bench:ingest\`)

${new Date().toISOString()} · ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM · Node ${process.version} · ${process.env.BENCH_PG_VERSION} · load average at the start ${load(loadAtStart)}, at the end ${load(os.loadavg())} (machine shared with other jobs)

The real server (\`startServer\`: the event endpoints in a plain Node handler ahead of Express + the built Remix app)
on PostgreSQL in the bench process, pool of 10 connections; load from a second
process (autocannon, \`bench/ingest-load.ts\`) for ${SECONDS} s per phase after a 2 s warm-up. Batched: 100 events per request,
10 new shoppers × 10 events (adds, removes, /cart.js snapshots, Identify, Checkout Started) as a custom source sends them.
Single: one web pixel \`product_added_to_cart\` per \`/collect\` request, as the pixel sends them, 5,000 browsers.
"1 shop" sends everything to one shop (the worst case: one group-commit queue, one shop's rows and locks); "${MANY_SHOPS} shops"
rotates requests over ${MANY_SHOPS} installed shops, as a deployment serving many merchants sees them.
Ceiling: the same bodies to \`/api/v1/events/parse-only\`, served by the same Node handler (reads and JSON-parses the
body only). Every accepted event is committed (stitched, stored, profile re-derived, campaign hook run;
synchronous_commit on) before its response.

| phase | connections | events/s | requests/s | p50 ms | p99 ms | ratio to ceiling | non-2xx + errors |
|---|---:|---:|---:|---:|---:|---:|---:|
${rows.map(line).join("\n")}

Events stored at the end: ${stored.toLocaleString("en")} (all phases writing to the database, warm-ups included).

Targets (batched):
${rows.filter((r) => r.phase.kind === "batch" && !r.phase.path.endsWith("parse-only")).map(targets).join("\n")}

Single events: ${single.map(({ phase, result }) => `${phase.label}: ${Math.round(rate(result)).toLocaleString("en")} events/s, p99 ${result.latency.p99} ms, ${(rate(result) / rate(ceilingOf(phase))).toFixed(2)} of its ceiling`).join("; ")}.

${INGEST_NOTES}
`;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
