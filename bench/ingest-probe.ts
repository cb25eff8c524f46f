/**
 * `node --import tsx bench/ingest-probe.ts [connections] [seconds]`: where /collect requests
 * wait under many connections (issue 18). Starts the built server on a fresh PostgreSQL
 * database (name from BENCH_DB_PREFIX, default cartback_probe), loads /collect from a second
 * process and meanwhile samples, every 50 ms: pg_stat_activity (state and wait event of this
 * database's backends), commits from pg_stat_database, and the server's event-loop delay.
 * Prints the tallies; the finding is written up in bench/results/ingest.md.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { buildIfStale } from "../scripts/build-if-stale.mjs";
import { loadConfig } from "../app/server/config.ts";
import { loadBuiltApp } from "../app/server/built-app.ts";
import { installShopForBench } from "./ingest-shop.ts";
import { recreateDatabase } from "./support/database.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = `${process.env.BENCH_DB_PREFIX ?? "cartback_probe"}_ingest`;
const CONNECTIONS = Number(process.argv[2] ?? 256);
const SECONDS = Number(process.argv[3] ?? 10);
/** `single` (/collect, default) or `batch` (/api/v1/events, 100 events a request). */
const KIND = process.argv[4] === "batch" ? "batch" : "single";
/** BENCH_PROBE_DB=pglite probes the embedded default instead (no pg_stat_activity there). */
const PGLITE = process.env.BENCH_PROBE_DB === "pglite";

function load(spec: Record<string, unknown>): Promise<{ requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "ingest-load.ts"), JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load exited ${code}`))));
  });
}

async function main() {
  buildIfStale({ quiet: true });
  const databaseUrl = PGLITE ? undefined : await recreateDatabase(ADMIN_URL, DB_NAME);
  process.env.CARTBACK_BENCH = "1";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cartback-probe-"));
  const config = loadConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", CARTBACK_WORKER: "off", CARTBACK_RATE_LIMITS: "off", CARTBACK_DATA_DIR: dataDir, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? "10" });
  const app = await loadBuiltApp();
  const server = await app.entry.startServer(config, app, { quiet: true });
  const shop = "probe.myshopify.com";
  const keys = await installShopForBench(server.runtime.database.db, shop);
  const spec = { url: server.url, path: KIND === "single" ? "/collect" : "/api/v1/events", kind: KIND, shops: [{ shop, ...keys }], connections: CONNECTIONS, headers: { "content-type": KIND === "single" ? "text/plain" : "application/json" } };
  await load({ ...spec, run: "warm", seconds: 2 });
  const stages = instrument(server.runtime);

  const probe = new pg.Client({ connectionString: ADMIN_URL });
  await probe.connect();
  const commits = async () => PGLITE ? 0 : Number((await probe.query("select xact_commit + 0 as c from pg_stat_database where datname = $1", [DB_NAME])).rows[0].c);
  const tally = new Map<string, number>();
  let samples = 0;
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const before = await commits();
  let running = true;
  const sampling = (async () => {
    while (running && !PGLITE) {
      const rows = (await probe.query(
        `select state, coalesce(wait_event_type, '-') || ':' || coalesce(wait_event, '-') as wait, left(regexp_replace(query, '\\s+', ' ', 'g'), 60) as q
         from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [DB_NAME])).rows as { state: string; wait: string; q: string }[];
      samples++;
      for (const r of rows) {
        const key = `${r.state} ${r.wait} ${r.state === "active" || r.wait.startsWith("Lock") ? r.q : ""}`;
        tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const result = await load({ ...spec, run: "run", seconds: SECONDS });
  running = false;
  await sampling;
  delay.disable();
  const after = await commits();
  process.stdout.write(`${KIND} ${PGLITE ? "PGlite" : "PostgreSQL"} ${CONNECTIONS} connections: ${Math.round(result.requests.average)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}\n`);
  process.stdout.write(`commits ${after - before} in ~${SECONDS} s; event-loop delay p50 ${(delay.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms, max ${(delay.max / 1e6).toFixed(0)} ms\n`);
  for (const [k, v] of stages) process.stdout.write(`  ${k}: n ${v.length}, mean ${mean(v).toFixed(1)}, p50 ${pct(v, 0.5).toFixed(1)}, p99 ${pct(v, 0.99).toFixed(1)}\n`);
  process.stdout.write(`backend states over ${samples} samples (average backends per sample):\n`);
  for (const [k, v] of [...tally].sort((a, b) => b[1] - a[1]).slice(0, 15)) process.stdout.write(`  ${(v / samples).toFixed(2)}  ${k}\n`);
  await probe.end();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
const pct = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.floor(q * (v.length - 1))] ?? 0;

/** Times each request's wait in ingest, each transaction, and each statement by its first words. */
function instrument(runtime: { ingest: { submit: (r: never) => Promise<unknown> }; database: { db: unknown } }) {
  const stages = new Map<string, number[]>();
  const note = (k: string, ms: number) => (stages.get(k) ?? stages.set(k, []).get(k)!).push(ms);
  const submit = runtime.ingest.submit.bind(runtime.ingest);
  runtime.ingest.submit = async (r: never) => {
    const t = performance.now();
    try {
      return await submit(r);
    } finally {
      note("ingest.submit (queue + transaction)", performance.now() - t);
    }
  };
  const db = runtime.database.db as { transaction: (f: unknown) => Promise<unknown> };
  const transaction = db.transaction.bind(db);
  db.transaction = async (f: unknown) => {
    const t = performance.now();
    try {
      return await transaction(f);
    } finally {
      note("transaction", performance.now() - t);
    }
  };
  const query = pg.Client.prototype.query as (...a: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string })?.text ?? "?");
    const key = `sql ${text.replace(/\s+/g, " ").trim().slice(0, 40)}`;
    const t = performance.now();
    const out = query.apply(this, args);
    if (out && typeof (out as Promise<unknown>).then === "function") (out as Promise<unknown>).then(() => note(key, performance.now() - t), () => {});
    return out;
  } as never;
  return stages;
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
