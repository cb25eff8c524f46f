import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createScratchDatabase } from "@cartback/testing";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const children: ChildProcess[] = [];


afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM");
});

/** `npm start`'s script with nothing but PATH/HOME: no Shopify, no database URL. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ["scripts/start.mjs"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code: number | null) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, deadlineMs: number): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      return await fetch(url, { redirect: "manual" });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe("npm start", () => {
  it("stops with one clear line and exit code 2 on a bad variable", async () => {
    const run = start({ PORT: "eighty" });
    expect(await run.exited).toBe(2);
    const { stderr, stdout } = run.output();
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^cartback: configuration error: PORT: expected /)]);
    expect(stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
    expect(stdout).not.toContain("Cartback is running");
  });

  it("runs in production unless NODE_ENV says otherwise", async () => {
    // Production refuses a local Admin API origin (a test-only setting): the refusal shows the mode.
    const run = start({ SHOPIFY_ADMIN_API_ORIGIN: "http://127.0.0.1:9" });
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain("SHOPIFY_ADMIN_API_ORIGIN: expected unset in production");
  });

  it("names the missing partner of a half-configured self-hosted app", async () => {
    const run = start({ SHOPIFY_SHOP: "demo.myshopify.com" });
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain("SHOPIFY_ADMIN_TOKEN: expected to be set");
  });

  it("serves /healthz and the admin login on embedded PGlite with no configuration", async () => {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "cb-start-"));
    const run = start({ PORT: String(port), CARTBACK_DATA_DIR: dataDir });
    // How fast this happens is measured by `npm run bench:start`; here only that it happens.
    const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 90_000);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ok",
      mode: "unconfigured",
      database: { ok: true, kind: "pglite" },
      worker: { state: "running" },
    });
    const login = await fetch(`http://127.0.0.1:${port}/auth/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain("Sign in to Cartback");
    const admin = await fetch(`http://127.0.0.1:${port}/app`, { redirect: "manual" });
    expect(admin.status).toBe(302);
    expect(admin.headers.get("location")).toContain("/auth/login");

    const { stdout } = run.output();
    expect(stdout).toContain(`Cartback is running at http://localhost:${port}`);
    const password = /Password: +(\S+)/.exec(stdout)?.[1];
    expect(password).toBeTruthy();
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);

    // A second start on the same data directory never shows the password again.
    const again = start({ PORT: String(port), CARTBACK_DATA_DIR: dataDir });
    await waitFor(`http://127.0.0.1:${port}/healthz`, 90_000);
    expect(again.output().stdout).not.toContain("Password:");
    expect(again.output().stdout + again.output().stderr).not.toContain(password!);
  }, 240_000);

  it.runIf(process.env.TEST_DATABASE_URL)("uses PostgreSQL when DATABASE_URL is set", async () => {
    const port = await freePort();
    // A database of its own: the fork's database holds other files' sends, and a stuck one
    // there would read as this start's "degraded" mail.
    const scratch = await createScratchDatabase();
    try {
      start({
        PORT: String(port),
        CARTBACK_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cb-start-")),
        DATABASE_URL: scratch.url,
      });
      const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 90_000);
      expect(await health.json()).toMatchObject({ status: "ok", database: { ok: true, kind: "postgres" } });
    } finally {
      for (const child of children.splice(0)) child.kill("SIGTERM");
      await scratch.drop();
    }
  }, 120_000);
});
