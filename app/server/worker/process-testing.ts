import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Database } from "@cartback/db";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** Due episodes inserted in one statement, all due `dueAgoMs` ago, for process-level tests and the bench. */
export async function insertDueEpisodes(database: Database, shop: string, campaignId: string, count: number, dueAgoMs = 1000) {
  await database.query(
    `insert into campaign_episodes (id, shop, campaign_id, profile_id, status, started_at, last_change_at, next_step, due_at)
     select $1 || '-' || g, $2, $3, $1 || '-p' || g, 'open', now() - interval '20 minutes', now() - interval '20 minutes', 0,
            now() - ($5::int * interval '1 millisecond')
     from generate_series(1, $4::int) g`,
    [shop.split(".")[0], shop, campaignId, count, dueAgoMs],
  );
}

export interface WorkerProcess {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/**
 * Starts app/server/worker/fixture-worker.ts in its own Node process. CARTBACK_WORKER_NODE_ARGS
 * adds Node flags (`--cpu-prof --cpu-prof-dir=…` to profile the worker under the bench: Node
 * refuses them in NODE_OPTIONS).
 */
export function spawnFixtureWorker(env: Record<string, string>): WorkerProcess {
  const nodeArgs = (process.env.CARTBACK_WORKER_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "scripts/run-ts.mjs", "app/server/worker/fixture-worker.ts"], {
    cwd: ROOT,
    // Throughput and crash tests mail thousands of new shoppers at once: no breaker in their way.
    env: { ...process.env, NODE_ENV: "test", LOG_LEVEL: "error", MAIL_FROM: "Cartback Test <carts@cartback.test>", CARTBACK_NEW_RECIPIENTS_PER_HOUR: "10000000", ...env },
    // The IPC channel is only there to close when the parent dies (fixture-worker.ts stops then).
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (c: Buffer) => {
      if (c.toString().includes("ready")) resolve();
    });
    exited.then((code) => reject(new Error(`worker exited (${code}) before ready: ${stderr}`)));
  });
  ready.catch(() => {});
  return { child, ready, exited };
}
