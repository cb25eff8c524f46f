// The measuring parts of bench/catalog.ts: the fake Admin API and each sync in processes of
// their own (so that a sync's RSS is its own), and the COPY ceiling on the same rows.
import { spawn } from "node:child_process";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Database } from "@cartback/db";
import { startNodeFlags } from "./support/start-flags.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const TOKEN = "shpat_benchcatalog0001";

export interface SyncRun {
  result: { type: string; rows: number };
  seconds: number;
  /** From the last poll that saw the operation running to published: Cartback's own part. */
  ingestSeconds: number;
  cpuSeconds: number;
  /** Node and the tsx loader, before any import; then with the sync's code loaded. */
  rssAtStart: number;
  rssBefore: number;
  peakRss: number;
  /** MB at the sample where RSS peaked: V8's spaces, heap in use, Buffers (see catalog-sync-runner.ts). */
  atPeak: Record<"rss" | "heapTotal" | "heapUsed" | "external" | "arrayBuffers" | "newSpace" | "oldSpace", number>;
}

/** One full sync in a process of its own, reporting one JSON line. */
export async function runSyncProcess(databaseUrl: string, origin: string, shop: string): Promise<SyncRun> {
  // With npm start's Node flags (its young generation is part of the RSS). BENCH_CATALOG_NODE_FLAGS
  // (e.g. --trace-gc) adds flags for looking into a run, and echoes the run's output.
  const flags = (process.env.BENCH_CATALOG_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...startNodeFlags(), ...flags, path.join(ROOT, "scripts/run-ts.mjs"), path.join(ROOT, "bench/catalog-sync-runner.ts"), databaseUrl, origin, shop, TOKEN], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  for await (const chunk of child.stdout!) {
    out += chunk;
    if (flags.length > 0) process.stderr.write(chunk);
  }
  const run = JSON.parse(out.trim().split("\n").findLast((line) => line.startsWith("{"))!) as SyncRun;
  if (run.result.type !== "completed") throw new Error(`sync did not complete: ${JSON.stringify(run.result)}`);
  return run;
}

/** RSS of a bare Node process, the floor under every row. */
export async function bareNodeRss(): Promise<number> {
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

export interface FakeProcess {
  origin: string;
  cpuSeconds: () => number;
  stop: () => Promise<void>;
}

/** The fake Admin API serving `variants` generated variants (5 per product, lines shuffled). */
export async function startFake(shop: string, variants: number): Promise<FakeProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, "scripts/run-ts.mjs"), path.join(ROOT, "bench/catalog-fake.ts"), shop, TOKEN, String(variants)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    origin: String(first.value).trim(),
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Median of three server-side COPYs of `shop`'s synced rows into a table of the same shape and
 * indexes. `order`: "shuffled" as the bulk result lists them (a fixed shuffle, md5 of the id),
 * or "key" sorted by the primary key, the easiest order for the indexes (a loader that sorts first).
 */
export async function copySeconds(database: Database, shop: string, order: "shuffled" | "key"): Promise<number> {
  const csv = path.join(os.tmpdir(), `cartback-bench-catalog-${process.pid}.csv`);
  writeFileSync(csv, "");
  chmodSync(csv, 0o666);
  try {
    const by = order === "key" ? "identity" : "md5(identity)";
    await database.query(`copy (select * from catalog_rows where shop = '${shop}' order by ${by}) to '${csv}' with (format csv)`);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await database.query("drop table if exists copy_baseline");
      await database.query("create table copy_baseline (like catalog_rows including all)");
      const started = performance.now();
      await database.query(`copy copy_baseline from '${csv}' with (format csv)`);
      times.push((performance.now() - started) / 1000);
    }
    await database.query("drop table copy_baseline");
    return times.sort((a, b) => a - b)[1]!;
  } finally {
    rmSync(csv, { force: true });
  }
}
