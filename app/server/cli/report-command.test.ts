import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);

describe("npx cartback report", () => {
  let dir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ["scripts/cartback.mjs", ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: "test", CARTBACK_DATA_DIR: dir, SMTP_URL: "", DATABASE_URL: "", LOG_LEVEL: "silent" } });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cartback-report-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("prints the shop's results and names a bad flag", { timeout: 120_000 }, async () => {
    const shop = "report-cli.myshopify.com";
    await cli("install", shop);
    const text = await cli("report", shop, "--days", "7");
    expect(text.stdout).toContain("recovered revenue $0.00");
    expect(text.stdout).toContain("funnel: abandoned 0 → emailed 0 → clicked 0 → recovered 0");
    expect(text.stdout).toContain("holdout lift: no holdout in this period");
    await expect(cli("report", shop, "--days", "x")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("--days") });
  });
});
