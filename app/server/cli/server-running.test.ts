import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(tmpdir(), "cartback-lock-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  rmSync(dataDir, { recursive: true, force: true });
});

// Nothing but PATH and HOME from the outside, as a user's shell would have.
const env = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", CARTBACK_DATA_DIR: dataDir, LOG_LEVEL: "silent" } as unknown as NodeJS.ProcessEnv;
const cli = (...args: string[]) => run(process.execPath, ["scripts/cartback.mjs", ...args], { cwd: ROOT, env });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** `npm start` on the embedded database, ready once /healthz answers. */
async function startServer() {
  const port = await freePort();
  const child = spawn(process.execPath, ["scripts/start.mjs"], { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: "ignore" });
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error("server did not start");
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid!,
    async stop() {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

describe("CLI beside a server on the same PGlite directory", () => {
  it("refuses the CLI's write while the server runs (naming its pid and the fix); once it stops, the write works and survives a restart", { timeout: 240_000 }, async () => {
    const shop = "lock-test.myshopify.com";
    const server = await startServer();
    const refused = await cli("campaign", shop, "--delay", "7m").then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1, stdout: "" });
    expect(refused!.stderr.trim()).toBe(
      `cartback campaign: Cartback is already running on ${dataDir} (pid ${server.pid}): stop it first, or use PostgreSQL (DATABASE_URL) to run the CLI beside the server`,
    );
    expect(await server.stop()).toBe(0);

    expect((await cli("campaign", shop, "--delay", "7m")).stdout).toContain("steps: 7m");
    const restarted = await startServer();
    expect(await restarted.stop()).toBe(0);
    const kept = JSON.parse((await cli("campaign", shop, "--json")).stdout) as { steps: { delayMs: number }[] };
    expect(kept.steps.map((s) => s.delayMs)).toEqual([420_000]);
  });
});
