/**
 * `npm run bench:web-tier`: the scale-out web tier in a burst. A web process as `npm start` runs
 * it with CARTBACK_WORKER=off (in this process, from the build) on PostgreSQL takes single pixel
 * events on /collect from a second process (bench/ingest-load.ts, autocannon) at CONNECTIONS,
 * alternately with no worker anywhere (every request applied before its answer) and with one
 * `npm run worker` process beside it (a burst is queued for the worker's drain:
 * app/server/drain-presence.ts). Same load, same window, runs alternated. Database name from
 * BENCH_DATABASE (default cartback_bench_web_tier). Writes bench/results/web-tier.md.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, Db } from "@cartback/db";
import type { Result } from "autocannon";
import { sql } from "drizzle-orm";
import { loadBuiltApp } from "../app/server/built-app.ts";
import { loadConfig } from "../app/server/config.ts";
import { runningDrains } from "../app/server/drain-presence.ts";
import { buildIfStale } from "../scripts/build-if-stale.mjs";
import { installShopForBench } from "./ingest-shop.ts";
import { loadAtEndLine, machineLine } from "./machine.ts";
import { createBenchDatabase } from "./support/database.ts";
import { runLoad } from "./support/load-process.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, "..");
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 256);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SHOP = "bench-web-tier.myshopify.com";
const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  worker: boolean;
  result: Result;
  /** Events waiting in the inbox when the load stopped, and seconds until it was empty. */
  backlog: number;
  emptySeconds: number;
  /** The web process's CPU over the phase (this process: answers only, the load is elsewhere). */
  cpuMs: number;
}

const load = runLoad;

const waiting = async (db: Db) => Number(((await db.execute(sql`select count(*)::int as n from event_inbox`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);

async function untilEmpty(db: Db): Promise<number> {
  const started = performance.now();
  while ((await waiting(db)) > 0) {
    if (performance.now() - started > 600_000) return -1;
    await sleep(100);
  }
  return (performance.now() - started) / 1000;
}

/** `npm run worker` on the same database; resolves once its drains are announced. */
async function startWorker(env: Record<string, string>, database: Database): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["scripts/worker.mjs"], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
  const deadline = Date.now() + 120_000;
  while ((await runningDrains(database)) === 0) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm run worker did not announce its drains (exit ${child.exitCode})`);
    await sleep(200);
  }
  return child;
}

async function main() {
  buildIfStale({ quiet: true });
  const bench = await createBenchDatabase("web_tier");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cartback-bench-web-"));
  const env = { NODE_ENV: "production", LOG_LEVEL: "silent", CARTBACK_RATE_LIMITS: "off", CARTBACK_DATA_DIR: dataDir, DATABASE_URL: bench.url, DATABASE_POOL_SIZE: "10" };
  const config = loadConfig({ ...env, PORT: "0", HOST: "127.0.0.1", CARTBACK_WORKER: "off" });
  const app = await loadBuiltApp();
  const server = await app.entry.startServer(config, app, { quiet: true });
  const { database } = server.runtime;
  const target = { shop: SHOP, ...(await installShopForBench(database.db, SHOP)) };
  const machine = machineLine();
  const spec = { url: server.url, path: "/collect", kind: "single", shops: [target], connections: CONNECTIONS, headers: { "content-type": "text/plain" } };
  const runs: Run[] = [];
  let worker: ChildProcess | null = null;
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const withWorker of [false, true]) {
        if (withWorker) worker = await startWorker(env, database);
        // The web process reads who drains at most every 2 s.
        await sleep(2_500);
        await load({ ...spec, run: `warm-${round}-${withWorker}`, seconds: 2 });
        await untilEmpty(database.db);
        const cpuBefore = process.cpuUsage();
        const result = await load({ ...spec, run: `r${round}-${withWorker}`, seconds: SECONDS });
        const cpu = process.cpuUsage(cpuBefore);
        const backlog = await waiting(database.db);
        const emptySeconds = await untilEmpty(database.db);
        runs.push({ worker: withWorker, result, backlog, emptySeconds, cpuMs: (cpu.user + cpu.system) / 1000 });
        log(`${withWorker ? "with a worker" : "no worker   "}: ${Math.round(rate(result))} events/s, p50/p99 ${result.latency.p50}/${result.latency.p99} ms, backlog ${backlog} (empty after ${emptySeconds.toFixed(1)} s)`);
        if (worker) {
          const exited = new Promise((resolve) => worker!.once("exit", resolve));
          worker.kill("SIGTERM");
          await exited;
          worker = null;
          while ((await runningDrains(database)) > 0) await sleep(200);
        }
      }
    }
  } finally {
    worker?.kill("SIGKILL");
    await server.close();
    await bench.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const out = process.env.BENCH_OUT ?? path.join(here, "results/web-tier.md");
  writeFileSync(out, report(runs, machine));
  log(`wrote ${path.relative(ROOT, out)}`);
}

const rate = (r: Result) => r["2xx"] / r.duration;
const fmt = (n: number) => Math.round(n).toLocaleString("en");
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

function report(runs: Run[], machine: string): string {
  const line = (r: Run, i: number) =>
    `| ${Math.floor(i / 2) + 1} | ${r.worker ? "1 `npm run worker`" : "none"} | ${fmt(rate(r.result))} | ${r.result.latency.p50} / ${r.result.latency.p99} / ${r.result.latency.max} | ${r.result.non2xx + r.result.errors} | ${fmt(r.backlog)} | ${r.emptySeconds < 0 ? "not within 600 s" : r.emptySeconds.toFixed(1)} | ${((1000 * r.cpuMs) / Math.max(1, r.result["2xx"])).toFixed(0)} |`;
  const alone = runs.filter((r) => !r.worker);
  const paired = runs.filter((r) => r.worker);
  const gain = mean(paired.map((r) => rate(r.result))) / mean(alone.map((r) => rate(r.result)));
  return `## Scale-out web tier in a burst (\`npm run bench:web-tier\`)

${machine} ${loadAtEndLine()}

A web process as \`npm start\` runs it with \`CARTBACK_WORKER=off\` (the scale-out web tier; here in the bench process,
from the build, on PostgreSQL, pool 10, rate limits off), ${CONNECTIONS} connections of single web pixel events on
\`/collect\` for ${SECONDS} s after a 2 s warm-up, from a second process (autocannon, \`bench/ingest-load.ts\`). Runs
alternate between no worker anywhere (the web process applies every request before its answer: queued events would
wait for good) and one \`npm run worker\` process on the same database (a burst is committed to the event inbox,
answered, and applied by the worker's drain; \`app/server/drain-presence.ts\`). The worker shares the machine's 2 cores.

| round | worker | events/s acknowledged | p50 / p99 / max (ms) | non-2xx | inbox at the end | empty after (s) | web CPU per event (µs) |
|---|---|---|---|---|---|---|---|
${runs.map(line).join("\n")}

With a worker running, the web tier acknowledged **${gain.toFixed(2)}×** the events per second it did alone (mean of ${paired.length} runs each).
`;
}

await main();
process.exit(0);
