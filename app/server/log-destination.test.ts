import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const LINES = 20_000;

/** The child logs ~20 MB to stdout; nothing reads its stdout until `read()` is called. */
function flood() {
  const child = spawn(process.execPath, ["scripts/run-ts.mjs", "app/server/log-flood-child.ts", String(LINES)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  onTestFinished(() => {
    child.kill("SIGKILL");
  });
  child.stdout!.pause();
  let text = "";
  const logged = new Promise<void>((resolve) => child.once("message", () => resolve()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    logged,
    exited,
    read() {
      child.stdout!.on("data", (chunk: Buffer) => (text += chunk));
      child.stdout!.resume();
    },
    lines: () => text.split("\n").filter(Boolean).map((line) => JSON.parse(line) as { seq?: number; dropped?: number; msg: string }),
  };
}

const exitWithin = (child: ChildProcess, exited: Promise<number | null>, ms: number) =>
  Promise.race([exited, new Promise<string>((resolve) => setTimeout(() => resolve(`still running after ${ms} ms (pid ${child.pid})`), ms))]);

describe("server logs on a stdout nobody reads", () => {
  it("keep the process running, and it still exits when told", { timeout: 60_000 }, async () => {
    const run = flood();
    // With pino's synchronous stdout the child sleeps in its write once the pipe is full (~64 KB): never logged.
    await run.logged;
    run.child.send("exit");
    // The flush at exit gives a reader that takes nothing 2 s.
    expect(await exitWithin(run.child, run.exited, 15_000)).toBe(0);
  });

  it("drop what does not fit, count it, and lose nothing else once read again", { timeout: 60_000 }, async () => {
    const run = flood();
    await run.logged;
    run.read();
    // The reader caught up: the count of dropped lines is written once the pipe takes bytes again.
    await expect.poll(() => run.lines().some((line) => line.dropped !== undefined), { timeout: 30_000 }).toBe(true);
    run.child.send("exit");
    expect(await exitWithin(run.child, run.exited, 15_000)).toBe(0);
    const lines = run.lines();
    const seqs = lines.filter((line) => line.msg === "flood").map((line) => line.seq!);
    const dropped = lines.reduce((sum, line) => sum + (line.dropped ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    // What was kept arrives whole and in order, and everything else is counted.
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs.length + dropped).toBe(LINES);
  });
});
