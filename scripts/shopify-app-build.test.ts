import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("shopify app build (Shopify CLI 3.94.3, offline)", () => {
  it("builds the web app and every extension without a Shopify login", () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@shopify/cli/bin/run.js"), "app", "build"], {
      cwd: ROOT,
      env: { ...process.env, SHOPIFY_CLI_NO_ANALYTICS: "1", CI: "1", SHOPIFY_FLAG_PATH: ROOT },
      encoding: "utf8",
      timeout: 240_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).toBe(0);
    expect(output).toMatch(/built/i);
    expect(existsSync(path.join(ROOT, "app/build/server/index.js"))).toBe(true);
    // Every extension that declares a JavaScript entry leaves its bundle in dist/.
    for (const name of readdirSync(path.join(ROOT, "extensions"))) {
      const dir = path.join(ROOT, "extensions", name);
      if (existsSync(path.join(dir, "src")) && existsSync(path.join(dir, "shopify.extension.toml"))) {
        expect(readdirSync(path.join(dir, "dist")).some((f) => f.endsWith(".js")), `${name}/dist`).toBe(true);
      }
    }
  }, 300_000);
});
