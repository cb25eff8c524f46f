// The campaign worker as a process of its own (`npm run worker`), beside a web process started
// with CARTBACK_WORKER=off: how a scale-out deployment runs. It gets the web process's own
// environment (database, SMTP, Shopify), read back from /proc, so both run one configuration.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

export interface WorkerProcess {
  child: ChildProcess;
  /** Error and fatal lines the worker logged since the last call. */
  takeErrors(): string[];
  /** Whether the worker logged a line containing `text` (its last 2,000 lines are kept). */
  logged(text: string): boolean;
  stop(): Promise<number | null>;
}

function environmentOf(pid: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]));
}

/** Starts `node scripts/worker.mjs` (what `npm run worker` runs) and waits until its loop runs. */
export async function startWorkerProcess(webPid: number, timeoutMs = 300_000): Promise<WorkerProcess> {
  // info, for the "campaign worker started" line that says the loop runs.
  const env = { ...environmentOf(webPid), LOG_LEVEL: "info" };
  const child = spawn(process.execPath, ["scripts/worker.mjs"], { cwd: ROOT, env: env as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let errors: string[] = [];
  const recent: string[] = [];
  let stderr = "";
  let partial = "";
  let started = false;
  child.stdout!.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.includes("campaign worker started")) started = true;
      if (/"level":(50|60)/.test(line)) errors.push(line);
      recent.push(line);
      if (recent.length > 2000) recent.shift();
    }
  });
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  while (!started) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`npm run worker did not start (exit ${child.exitCode}):\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    child,
    logged: (text) => recent.some((line) => line.includes(text)),
    takeErrors: () => {
      const taken = errors;
      errors = [];
      return taken;
    },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
