import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { checkPassword, consumeOneTimeToken, ensureAdminCredentials } from "./credentials.ts";

const freshConfig = (env: Record<string, string> = {}) =>
  loadConfig({ CARTBACK_DATA_DIR: mkdtempSync(path.join(tmpdir(), "cb-cred-")), ...env });

describe("standalone admin credentials", () => {
  it("generates a password once, storing only hashes", async () => {
    const config = freshConfig();
    const first = await ensureAdminCredentials(config);
    expect(first).not.toBeNull();
    expect(await ensureAdminCredentials(config)).toBeNull();
    const stored = readFileSync(path.join(config.dataDir, "admin-credentials.json"), "utf8");
    expect(stored).not.toContain(first!.password);
    expect(stored).not.toContain(first!.oneTimeToken);
    expect(checkPassword(config, first!.password)).toBe(true);
    expect(checkPassword(config, `${first!.password}x`)).toBe(false);
  });

  it("accepts the one-time login token exactly once", async () => {
    const config = freshConfig();
    const first = (await ensureAdminCredentials(config))!;
    expect(consumeOneTimeToken(config, "wrong")).toBe(false);
    expect(consumeOneTimeToken(config, first.oneTimeToken)).toBe(true);
    expect(consumeOneTimeToken(config, first.oneTimeToken)).toBe(false);
    expect(checkPassword(config, first.password)).toBe(true);
  });

  it("uses ADMIN_PASSWORD when set and generates nothing", async () => {
    const config = freshConfig({ ADMIN_PASSWORD: "correct horse" });
    expect(await ensureAdminCredentials(config)).toBeNull();
    expect(checkPassword(config, "correct horse")).toBe(true);
    expect(checkPassword(config, "correct horsf")).toBe(false);
  });
});
