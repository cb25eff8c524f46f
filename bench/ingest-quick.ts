/**
 * `node --import tsx bench/ingest-quick.ts [connections,…] [seconds]`: bench:ingest's /collect phases
 * alone (no batched phases, no write ceiling), for same-window pairs of two builds (run it from
 * each git worktree in turn) and for profiles (`node --cpu-prof --import tsx …`: the server runs
 * in this process). Same server configuration as bench:ingest (inline worker, pool 10, rate
 * limits off; BENCH_QUICK_SHOPS shops, 1 by default); per phase: answers/s, p50/p99, the server process's CPU per answer over the phase
 * (answers and the drain running beside them), the drain's share of the loop, event-loop delay.
 * Database name from BENCH_DATABASE (dropped and created again).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import diagnostics from "node:diagnostics_channel";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Result } from "autocannon";
import pg from "pg";
import { loadConfig } from "../app/server/config.ts";
import { loadBuiltApp } from "../app/server/built-app.ts";
import { installShopForBench } from "./ingest-shop.ts";
import { recreateDatabase } from "./support/database.ts";
import { postgresCpuS, statTicks } from "./support/proc.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const DB_NAME = process.env.BENCH_DATABASE ?? "cartback_bench_ingest_quick";
const CONNECTIONS = (process.argv[2] ?? "1024").split(",").map(Number);
const SECONDS = Number(process.argv[3] ?? 8);

function load(spec: Record<string, unknown>): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "ingest-load.ts"), JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`load exited ${code}`))));
  });
}

async function main() {
  const databaseUrl = await recreateDatabase(ADMIN_URL, DB_NAME);
  process.env.CARTBACK_BENCH = "1";
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cartback-quick-"));
  const config = loadConfig({ NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", CARTBACK_WORKER: "inline", CARTBACK_RATE_LIMITS: "off", CARTBACK_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: "10" });
  const app = await loadBuiltApp();
  const server = await app.entry.startServer(config, app, { quiet: true });
  const db = server.runtime.database.db;
  // BENCH_QUICK_SHOPS=N: requests rotate over N shops (the drain applies shops side by side).
  const shopCount = Number(process.env.BENCH_QUICK_SHOPS ?? 1);
  const targets = [];
  for (let i = 0; i < shopCount; i++) {
    const shop = i === 0 ? "bench-ingest.myshopify.com" : `bench-ingest-${i}.myshopify.com`;
    targets.push({ shop, ...(await installShopForBench(db, shop)) });
  }
  const inbox = async () => Number(((await db.execute(sql`select count(*)::int as n from event_inbox`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
  process.stdout.write(`load ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} at ${new Date().toISOString()}\n`);
  const statements = process.env.BENCH_QUICK_SQL === "1" ? timeStatements() : null;
  for (const connections of CONNECTIONS) {
    const spec = { url: server.url, path: "/collect", kind: "single", shops: targets, connections, headers: { "content-type": "text/plain" } };
    await load({ ...spec, run: `warm-${connections}`, seconds: 2 });
    while ((await inbox()) > 0) await new Promise((r) => setTimeout(r, 200));
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const cpuBefore = process.cpuUsage();
    const threadsBefore = threadTicks();
    serverTimes.length = 0;
    const profiler = process.env.BENCH_QUICK_PROFILE ? await startProfile() : null;
    const r = await load({ ...spec, run: `run-${connections}`, seconds: SECONDS });
    if (profiler) await profiler(`${process.env.BENCH_QUICK_PROFILE}-${connections}.cpuprofile`);
    const cpu = process.cpuUsage(cpuBefore);
    const threadsAfter = threadTicks();
    delay.disable();
    const backlog = await inbox();
    const sorted = serverTimes.sort((a, b) => a - b);
    const at = (q: number) => (sorted[Math.floor(q * (sorted.length - 1))] ?? 0).toFixed(0);
    process.stdout.write(`  in the server (request event to response finish): p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms\n`);
    const byName = new Map<string, number>();
    for (const [tid, t] of threadsAfter) byName.set(t.name, (byName.get(t.name) ?? 0) + t.ticks - (threadsBefore.get(tid)?.ticks ?? 0));
    process.stdout.write(`  thread CPU s: ${[...byName].filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${(v / 100).toFixed(2)}`).join(", ")}\n`);
    if (statements) {
      for (const [k, v] of statements) {
        const sorted = [...v].sort((a, b) => a - b);
        const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!.toFixed(1);
        process.stdout.write(`  ${k}: n ${v.length}, p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, busy ${(v.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s\n`);
      }
      statements.clear();
    }
    const ok = r["2xx"];
    const ms = (ns: number) => (ns / 1e6).toFixed(0);
    process.stdout.write(
      `${connections} connections: ${Math.round(ok / r.duration)} answers/s, p50/p99 ${r.latency.p50}/${r.latency.p99} ms, non-2xx+errors ${r.non2xx + r.errors}, ` +
        `CPU ${((cpu.user + cpu.system) / Math.max(1, ok)).toFixed(0)} µs/answer (user ${(cpu.user / 1e6).toFixed(2)} s, sys ${(cpu.system / 1e6).toFixed(2)} s), ` +
        `loop delay p50/p99/max ${ms(delay.percentile(50))}/${ms(delay.percentile(99))}/${ms(delay.max)} ms, backlog at end ${backlog}\n`,
    );
    if (process.env.BENCH_QUICK_DRAIN === "1" && backlog > 0) await measureDrain(inbox, backlog, statements, connections);
  }
  process.stdout.write(`load ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")} at ${new Date().toISOString()}\n`);
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * BENCH_QUICK_DRAIN=1: the drain alone after the phase (no requests): how long the backlog took
 * to apply, events/s, and this process's and PostgreSQL's CPU per event (PostgreSQL's from every
 * postgres process in /proc, so another session's statements count too), with the statement
 * timings and a profile of the drain when those are asked for.
 */
async function measureDrain(inbox: () => Promise<number>, backlog: number, statements: Map<string, number[]> | null, connections: number): Promise<void> {
  statements?.clear();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const pg0 = postgresCpuS();
  const profiler = process.env.BENCH_QUICK_PROFILE ? await startProfile() : null;
  let left = backlog;
  while (left > 0) {
    await new Promise((r) => setTimeout(r, 100));
    left = await inbox();
  }
  if (profiler) await profiler(`${process.env.BENCH_QUICK_PROFILE}-drain-${connections}.cpuprofile`);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const pgSeconds = postgresCpuS() - pg0;
  process.stdout.write(
    `  drain alone: ${backlog} events in ${seconds.toFixed(1)} s, ${Math.round(backlog / seconds)} events/s, ` +
      `CPU per event: this process ${((cpu.user + cpu.system) / backlog).toFixed(0)} µs, PostgreSQL ${((pgSeconds * 1e6) / backlog).toFixed(0)} µs\n`,
  );
  if (statements) {
    for (const [k, v] of [...statements].sort((a, b) => b[1].reduce((x, y) => x + y, 0) - a[1].reduce((x, y) => x + y, 0))) {
      const sorted = [...v].sort((a, b) => a - b);
      process.stdout.write(`    ${k}: n ${v.length}, p50 ${sorted[Math.floor(0.5 * (v.length - 1))]!.toFixed(1)} ms, busy ${(v.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s\n`);
    }
    statements.clear();
  }
}

/** Each answer's time from the server's request event to its response's finish (ms). */
const serverTimes: number[] = [];
const started = new WeakMap<object, number>();
diagnostics.subscribe("http.server.request.start", (message) => started.set((message as { response: object }).response, performance.now()));
diagnostics.subscribe("http.server.response.finish", (message) => {
  const at = started.get((message as { response: object }).response);
  if (at !== undefined) serverTimes.push(performance.now() - at);
});

/** BENCH_QUICK_PROFILE=<path prefix>: a CPU profile of this process over each measured phase alone. */
async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Each thread of this process: name and CPU ticks (user + system, 1/100 s) from /proc. */
function threadTicks(): Map<string, { name: string; ticks: number }> {
  const out = new Map<string, { name: string; ticks: number }>();
  for (const tid of readdirSync("/proc/self/task")) {
    const ticks = statTicks(`/proc/self/task/${tid}/stat`);
    if (ticks !== null) out.set(tid, { name: tid === String(process.pid) ? "main" : "other threads", ticks });
  }
  return out;
}

/** Each statement's time from query() to its result, by its first words (BENCH_QUICK_SQL=1). */
function timeStatements(): Map<string, number[]> {
  const stages = new Map<string, number[]>();
  // A pool's query hands its client a callback (no promise to time): the pool is timed instead.
  for (const target of [pg.Client.prototype, pg.Pool.prototype]) wrap(target as unknown as { query: (...a: unknown[]) => unknown }, stages);
  return stages;
}

function wrap(target: { query: (...a: unknown[]) => unknown }, stages: Map<string, number[]>): void {
  const query = target.query;
  target.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === "string" ? args[0] : ((args[0] as { text?: string })?.text ?? "?");
    const key = text.replace(/\s+/g, " ").trim().slice(0, 40);
    const t = performance.now();
    const out = query.apply(this, args);
    const note = () => (stages.get(key) ?? stages.set(key, []).get(key)!).push(performance.now() - t);
    if (out && typeof (out as Promise<unknown>).then === "function") (out as Promise<unknown>).then(note, () => {});
    return out;
  };
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
