// npm run bench:catalog — a full Catalog Sync of 100,000 generated variants served by the
// fake Admin API (child process) into PostgreSQL, against a plain COPY of the same rows.
// Targets: ≤ 15 s, peak RSS ≤ 200 MB, ≥ 0.3 of the COPY rate. Writes bench/results/catalog.md.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type Database, openDatabase, shops } from "@cartback/db";
import pg from "pg";
import { catalogSyncStatus } from "../app/server/catalog/status.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const VARIANTS = Number(process.env.BENCH_VARIANTS ?? 100_000);
const SHOP = "bench-catalog.myshopify.com";
const TOKEN = "shpat_benchcatalog0001";
const BASE_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432";
const DB_NAME = "cartback_bench_catalog";
const SYNC_NODE_FLAGS = (process.env.BENCH_SYNC_NODE_FLAGS ?? "").split(" ").filter(Boolean);

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
  rssBefore: number;
  peakRss: number;
}

/** The sync runs in its own process so that its RSS is its own (not the fake's, not this script's). */
async function runSyncProcess(origin: string): Promise<SyncRun> {
  const child = spawn(process.execPath, [...SYNC_NODE_FLAGS, path.join(ROOT, "scripts/run-ts.mjs"), path.join(ROOT, "bench/catalog-sync-runner.ts"), `${BASE_URL}/${DB_NAME}`, origin, SHOP, TOKEN], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  for await (const chunk of child.stdout!) out += chunk;
  return JSON.parse(out.trim().split("\n").pop()!) as SyncRun;
}

async function startFake(): Promise<{ origin: string; stop: () => void }> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/run-ts.mjs"), path.join(ROOT, "bench/catalog-fake.ts"), SHOP, TOKEN, String(VARIANTS)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [line] = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next().then((r) => [r.value as string]);
  return { origin: line!.trim(), stop: () => child.kill("SIGTERM") };
}

async function main(): Promise<void> {
  const database = await freshDatabase();
  const fake = await startFake();
  try {
    await database.db.insert(shops).values({ shop: SHOP, catalogSyncEnabled: true });
    const run = await runSyncProcess(fake.origin);
    const { result, seconds, rssBefore, peakRss } = run;
    if (result.type !== "completed") throw new Error(`sync did not complete: ${JSON.stringify(result)}`);
    const status = await catalogSyncStatus(database.db, SHOP);

    // The ceiling: the same rows, exported from the table just written, COPYed back in.
    const csv = path.join(os.tmpdir(), `cartback-bench-catalog-${process.pid}.csv`);
    await database.query("create table copy_baseline (like catalog_rows including all)");
    mkdirSync(path.dirname(csv), { recursive: true });
    writeFileSync(csv, "");
    chmodSync(csv, 0o666);
    await database.query(`copy (select * from catalog_rows where shop = $1) to '${csv}' with (format csv)`.replace("$1", `'${SHOP}'`));
    const copyStarted = performance.now();
    await database.query(`copy copy_baseline from '${csv}' with (format csv)`);
    const copySeconds = (performance.now() - copyStarted) / 1000;

    const rows = result.rows;
    const rate = rows / seconds;
    const copyRate = rows / copySeconds;
    const ratio = rate / copyRate;
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    const checks = [
      ["time", seconds <= 15, `${seconds.toFixed(2)} s (target ≤ 15 s)`],
      ["peak RSS", peakRss <= 200 * 1024 * 1024, `${mb(peakRss)} MB (target ≤ 200 MB; ${mb(rssBefore)} MB before the sync)`],
      ["rate vs COPY", ratio >= 0.3, `${ratio.toFixed(2)} of COPY (target ≥ 0.3)`],
    ] as const;
    const cpu = os.cpus()[0]?.model ?? "unknown cpu";
    const markdown = [
      "## Catalog Sync (bench/catalog.ts)",
      "",
      `${new Date().toISOString()} · ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM · Node ${process.version} · PostgreSQL ${(await database.query("show server_version")).rows[0]!.server_version}`,
      "",
      `Full sync of ${rows.toLocaleString("en-US")} generated variants (${status.lastSync?.total?.toLocaleString("en-US")} JSONL objects, lines shuffled so children often precede parents) from the fake Admin API (separate process) into a syncing process of its own, through bulkOperationRunQuery → polling → streamed JSONL → versioned upserts → publish.`,
      "",
      "| measure | value |",
      "|---|---|",
      `| sync wall time (start → published) | ${seconds.toFixed(2)} s |`,
      `| sync rate | ${Math.round(rate).toLocaleString("en-US")} rows/s |`,
      `| peak RSS of the syncing process (its own process: pg driver, schema, catalog code; ${mb(rssBefore)} MB before the sync) | ${mb(peakRss)} MB |`,
      `| plain COPY of the same rows (server-side file, same table shape and indexes) | ${copySeconds.toFixed(2)} s, ${Math.round(copyRate).toLocaleString("en-US")} rows/s |`,
      `| sync rate / COPY rate | ${ratio.toFixed(2)} |`,
      "",
      ...checks.map(([name, ok, detail]) => `- ${ok ? "PASS" : "FAIL"} ${name}: ${detail}`),
      "",
    ].join("\n");
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    writeFileSync(path.join(ROOT, "bench/results/catalog.md"), markdown);
    process.stdout.write(markdown);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    fake.stop();
    await database.close();
  }
}

await main();
