// Runs bench/ingest-load.ts (autocannon) in a process of its own, so that building and sending
// requests does not share the measured server's event loop; resolves with autocannon's result.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Result } from "autocannon";

const LOAD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../ingest-load.ts");

export function runLoad<T = Result>(spec: Record<string, unknown>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", LOAD, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load process exited ${code}`))));
  });
}
