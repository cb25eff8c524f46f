import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.ts";
import { DataDirLockedError, lockDataDir } from "./data-dir-lock.ts";

let dir: string;
let other: ChildProcess;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "cartback-lock-"));
  other = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
});
afterAll(async () => {
  other.kill();
  await rm(dir, { recursive: true, force: true });
});

let n = 0;
const lockFile = () => path.join(dir, `case-${++n}.lock`);
const holder = async (file: string) => JSON.parse(await readFile(file, "utf8")) as { pid: number };

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid!;
}

describe("PGlite data directory lock", () => {
  it("refuses a directory another live process holds, naming its pid and the fix", async () => {
    const file = lockFile();
    await writeFile(file, JSON.stringify({ pid: other.pid, started: null }));
    expect(() => lockDataDir(file, "./data")).toThrow(DataDirLockedError);
    expect(() => lockDataDir(file, "./data")).toThrow(
      `Cartback is already running on ./data (pid ${other.pid}): stop it first, or use PostgreSQL (DATABASE_URL) to run the CLI beside the server`,
    );
    expect(await holder(file)).toMatchObject({ pid: other.pid });
  });

  it("takes over a lock whose holder has exited (crash, kill -9)", async () => {
    const file = lockFile();
    await writeFile(file, JSON.stringify({ pid: await deadPid(), started: null }));
    const release = lockDataDir(file, "./data");
    expect(await holder(file)).toMatchObject({ pid: process.pid });
    release();
    await expect(readFile(file)).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("takes over a lock left under this very pid by an earlier process (a restarted container)", async () => {
    const file = lockFile();
    await writeFile(file, JSON.stringify({ pid: process.pid, started: "another-boot:1" }));
    lockDataDir(file, "./data")();
  });

  it.runIf(process.platform === "linux")("takes over a lock whose pid now belongs to a different process (pid reused)", async () => {
    const file = lockFile();
    await writeFile(file, JSON.stringify({ pid: other.pid, started: "another-boot:1" }));
    lockDataDir(file, "./data")();
  });

  it("refuses a second open of the same directory in one process, and frees it on close", async () => {
    const dataDir = path.join(dir, "data");
    const first = await openDatabase({ dataDir });
    await expect(openDatabase({ dataDir })).rejects.toThrow(`Cartback is already running on ${dataDir} (pid ${process.pid})`);
    await first.close();
    const again = await openDatabase({ dataDir });
    await again.close();
  }, 60_000);
});
