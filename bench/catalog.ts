// npm run bench:catalog — a full Catalog Sync of 100,000 generated variants served by the
// fake Admin API (child process) into PostgreSQL, against a plain COPY of the same rows.
// Targets: ≤ 15 s, peak RSS ≤ 200 MB, ≥ 0.3 of the COPY rate. Writes bench/results/catalog.md.
// The sync runs three times with Node's default settings (what a merchant runs; the spread
// shows), each in its own process, then once with --max-old-space-size=96 for comparison.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase, shops } from "@cartback/db";
import pg from "pg";
import { machineLine } from "./machine.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 100_000);
const TOKEN = "shpat_benchcatalog0001";
const BASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432";
const DB_NAME = "cartback_bench_catalog";
const DEFAULT = "default Node settings";
const RUNS: Array<{ label: string; shop: string; flags: string[] }> = [
  { label: `${DEFAULT}, run 1`, shop: "bench-catalog-a.myshopify.com", flags: [] },
  { label: `${DEFAULT}, run 2`, shop: "bench-catalog-b.myshopify.com", flags: [] },
  { label: `${DEFAULT}, run 3`, shop: "bench-catalog-c.myshopify.com", flags: [] },
  { label: "--max-old-space-size=96 (comparison)", shop: "bench-catalog-d.myshopify.com", flags: ["--max-old-space-size=96"] },
];

async function freshDatabase(): Promise<Database> {
  const admin = new pg.Client({ connectionString: `${BASE_URL}/postgres` });
  await admin.connect();
  await admin.query(`drop database if exists ${DB_NAME}`);
  await admin.query(`create database ${DB_NAME}`);
  await admin.end();
  return openDatabase({ url: `${BASE_URL}/${DB_NAME}`, poolSize: 4 });
}

interface SyncRun {
  result: { type: string; rows: number };
  seconds: number;
  /** From the last poll that saw the operation running to published: Cartback's own part. */
  ingestSeconds: number;
  cpuSeconds: number;
  /** Node and the tsx loader, before any import; then with the sync's code loaded. */
  rssAtStart: number;
  rssBefore: number;
  peakRss: number;
}

/** The sync runs in its own process so that its RSS is its own (not the fake's, not this script's). */
async function runSyncProcess(origin: string, shop: string, flags: string[]): Promise<SyncRun> {
  const child = spawn(process.execPath, [...flags, path.join(ROOT, "scripts/run-ts.mjs"), path.join(ROOT, "bench/catalog-sync-runner.ts"), `${BASE_URL}/${DB_NAME}`, origin, shop, TOKEN], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  for await (const chunk of child.stdout!) out += chunk;
  const run = JSON.parse(out.trim().split("\n").pop()!) as SyncRun;
  if (run.result.type !== "completed") throw new Error(`sync did not complete: ${JSON.stringify(run.result)}`);
  return run;
}

/** RSS of a bare Node process, the floor under every row. */
async function bareNodeRss(): Promise<number> {
  const child = spawn(process.execPath, ["-e", "process.stdout.write(String(process.memoryUsage.rss()))"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  for await (const chunk of child.stdout!) out += chunk;
  return Number(out);
}

/** CPU seconds a process has used so far (Linux /proc; clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startFake(): Promise<{ origin: string; cpuSeconds: () => number; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/run-ts.mjs"), path.join(ROOT, "bench/catalog-fake.ts"), RUNS[0]!.shop, TOKEN, String(VARIANTS)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  return { origin: line!.trim(), cpuSeconds: () => cpuSecondsOf(child.pid!), stop: () => child.kill("SIGTERM") };
}

/** Median of three COPYs of the synced rows into a table of the same shape and indexes. */
async function copySeconds(database: Database, shop: string): Promise<number> {
  const csv = path.join(os.tmpdir(), `cartback-bench-catalog-${process.pid}.csv`);
  writeFileSync(csv, "");
  chmodSync(csv, 0o666);
  await database.query(`copy (select * from catalog_rows where shop = '${shop}') to '${csv}' with (format csv)`);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    await database.query("drop table if exists copy_baseline");
    await database.query("create table copy_baseline (like catalog_rows including all)");
    const started = performance.now();
    await database.query(`copy copy_baseline from '${csv}' with (format csv)`);
    times.push((performance.now() - started) / 1000);
  }
  return times.sort((a, b) => a - b)[1]!;
}

async function main(): Promise<void> {
  // Its load average is the one before the runs; the one after is added at the end.
  const machine = machineLine();
  const database = await freshDatabase();
  const fake = await startFake();
  try {
    const runs: Array<SyncRun & { label: string; fakeCpuSeconds: number }> = [];
    for (const run of RUNS) {
      await database.db.insert(shops).values({ shop: run.shop, catalogSyncEnabled: true });
      const fakeBefore = fake.cpuSeconds();
      const sync = await runSyncProcess(fake.origin, run.shop, run.flags);
      runs.push({ label: run.label, ...sync, fakeCpuSeconds: fake.cpuSeconds() - fakeBefore });
    }
    const copy = await copySeconds(database, RUNS[0]!.shop);
    const bare = await bareNodeRss();
    const rows = runs[0]!.result.rows;
    const copyRate = rows / copy;
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    const defaults = runs.filter((r) => r.label.startsWith(DEFAULT));
    const median = <T>(values: T[], key: (v: T) => number) => [...values].sort((a, b) => key(a) - key(b))[Math.floor(values.length / 2)]!;
    const headline = {
      seconds: median(defaults, (r) => r.seconds).seconds,
      ingestSeconds: median(defaults, (r) => r.ingestSeconds).ingestSeconds,
      peakRss: median(defaults, (r) => r.peakRss).peakRss,
    };
    const ratio = (seconds: number) => (rows / seconds / copyRate).toFixed(2);
    const lines = [
      "## Catalog Sync (bench/catalog.ts)",
      "",
      machine,
      `PostgreSQL ${(await database.query("show server_version")).rows[0]!.server_version} on the same machine.`,
      "",
      `Full sync of ${rows.toLocaleString("en-US")} generated variants (${(rows * 1.2).toLocaleString("en-US")} JSONL objects, lines shuffled so children often precede parents) served by the fake Admin API (own process) to a syncing process of its own (tsx loader, pg driver, schema, the app's catalog code): bulkOperationRunQuery → polling → streamed JSONL (children read before their product are read again in a second download) → batches of 1,000 rows as one JSON array each, \`insert … select from json_to_recordset\`, two in flight → publish. Ceiling: a plain server-side COPY of the same rows into a table of the same shape and indexes (median of 3).`,
      "",
      `**Default Node settings, median of ${defaults.length} runs: ${headline.seconds.toFixed(2)} s end to end, ${Math.round(rows / headline.seconds).toLocaleString("en-US")} rows/s = ${ratio(headline.seconds)} of the COPY rate; Cartback's part (result ready → published) ${headline.ingestSeconds.toFixed(2)} s = ${ratio(headline.ingestSeconds)} of the COPY rate; peak RSS ${mb(headline.peakRss)} MB.**`,
      "",
      "End to end includes the fake's own work of building the result (Shopify's part: on a real store the bulk operation itself takes far longer than here, and that time is not Cartback's). Cartback's part starts at the last poll that still saw the operation running (so it includes up to one 50 ms poll of Shopify's time): download, reassembly, writes and publish.",
      "",
      "| syncing process | wall time (start → published) | ÷ COPY rate | Cartback's part (result ready → published) | ÷ COPY rate | CPU time of the process (of the fake meanwhile) | peak RSS | RSS before the sync: bare process → code loaded |",
      "|---|---|---|---|---|---|---|---|",
      ...runs.map((r) => `| ${r.label} | ${r.seconds.toFixed(2)} s | ${ratio(r.seconds)} | ${r.ingestSeconds.toFixed(2)} s | ${ratio(r.ingestSeconds)} | ${r.cpuSeconds.toFixed(2)} s (${r.fakeCpuSeconds.toFixed(2)} s) | ${mb(r.peakRss)} MB | ${mb(r.rssAtStart)} → ${mb(r.rssBefore)} MB |`),
      `| plain COPY | ${copy.toFixed(2)} s | 1.00 | — | — | — | — | — |`,
      "",
    ];
    let failed = false;
    for (const r of runs) {
      const checks = [
        ["time ≤ 15 s", r.seconds <= 15],
        ["peak RSS ≤ 200 MB", r.peakRss <= 200 * 1024 * 1024],
        ["≥ 0.3 of COPY end to end", rows / r.seconds / copyRate >= 0.3],
        ["≥ 0.3 of COPY for Cartback's part", rows / r.ingestSeconds / copyRate >= 0.3],
      ] as const;
      lines.push(`- ${r.label}: ${checks.map(([name, ok]) => `${ok ? "PASS" : "FAIL"} ${name}`).join(", ")}`);
      failed ||= checks.some(([, ok]) => !ok);
    }
    lines.push(
      "",
      `Load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(" / ")}. Timings vary with what else runs on the 2 shared cores: the fake (which also builds its 120,000-line result inside the timed window, Shopify's work in real life) and PostgreSQL share them with the sync; the COPY is measured in the same run, right after the syncs.`,
      "",
      `Where the RSS goes: a bare Node process is ${mb(bare)} MB here; the tsx loader that every Cartback process runs under (\`scripts/run-ts.mjs\`, \`npm start\`, the CLI) brings it to the "bare process" column (its hooks run in a thread with a V8 heap of its own); pg, Drizzle and the schema, zod config, pino and the catalog code make the "code loaded" column. During the sync V8's young generation grows to its default 2 × 16 MB and the old generation holds the products read so far and the variant ids the reassembler dedupes on.`,
      "",
    );
    const markdown = lines.join("\n");
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    writeFileSync(path.join(ROOT, "bench/results/catalog.md"), markdown);
    process.stdout.write(markdown);
    if (failed) process.exitCode = 1;
  } finally {
    fake.stop();
    await database.close();
  }
}

await main();
