// Plumbing of \`npm run bench:scheduler\` (bench/scheduler.ts): its scratch database, the
// worker processes' /proc figures, bulk episode inserts and the SMTP sink in its own process.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@cartback/db";
import { statTicks } from "./support/proc.ts";

export { ensureDatabaseAt as ensureDatabase } from "./support/database.ts";

export const SHOP = "bench.myshopify.com";
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Resident set of a process and its CPU seconds so far, from /proc. */
export function procStats(pid: number): { rssMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: rssKb / 1024, cpuS: (statTicks(`/proc/${pid}/stat`) ?? 0) / 100 };
}

export async function insertEpisodes(database: Database, campaignId: string, prefix: string, from: number, count: number, dueSql: string) {
  const chunk = 100_000;
  for (let start = from; start < from + count; start += chunk) {
    const n = Math.min(chunk, from + count - start);
    await database.query(
      `insert into campaign_episodes (id, shop, campaign_id, profile_id, status, started_at, last_change_at, next_step, due_at)
       select '${prefix}' || g, $1, $2, '${prefix}p' || g, 'open', now(), now(), 0, ${dueSql}
       from generate_series($3::int, $4::int) g`,
      [SHOP, campaignId, start, start + n - 1],
    );
  }
}

/** bench/scheduler-sink.ts in its own process; `close()` resolves to what it accepted. */
export async function startSinkProcess() {
  const child = spawn(process.execPath, ["scripts/run-ts.mjs", "bench/scheduler-sink.ts"], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit", "ipc"] });
  let out = "";
  child.stdout!.on("data", (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  while (!out.includes("\n")) {
    if (child.exitCode !== null) throw new Error("SMTP sink exited before listening");
    await sleep(50);
  }
  const url = out.split("\n")[0]!;
  return {
    url,
    pid: child.pid!,
    async close(): Promise<{ accepted: number; unique: number }> {
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(out.split("\n")[1] ?? "{}");
    },
  };
}
