import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);

describe("npx cartback discount", () => {
  let dir: string;
  const cli = (...args: string[]) =>
    run(process.execPath, ["scripts/cartback.mjs", ...args], { cwd: ROOT, env: { ...process.env, NODE_ENV: "test", CARTBACK_DATA_DIR: dir, SMTP_URL: "", DATABASE_URL: "", MAIL_FROM: "", LOG_LEVEL: "silent" } });
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cartback-discount-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("sets a step's code, refuses a bad one naming the flag, keeps it across other campaign edits and removes it", { timeout: 300_000 }, async () => {
    const shop = "cli-discount.myshopify.com";
    const set = await cli("discount", shop, "--percent", "10", "--days", "3");
    expect(set.stdout).toContain("step 1: 10% off, single use, expires 3 day(s) after the send, once per customer");
    await expect(cli("discount", shop, "--percent", "150")).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("--percent/--amount: Percentage: at most 100 %") });
    await cli("campaign", shop, "--holdout", "10");
    const json = JSON.parse((await cli("discount", shop, "--json")).stdout) as { discount: unknown };
    expect(json.discount).toEqual({ kind: "percentage", percent: 10, expiresAfterDays: 3, oncePerCustomer: true });
    expect((await cli("discount", shop, "--off")).stdout).toContain("step 1: no discount code");
  });
});
