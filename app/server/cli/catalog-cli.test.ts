import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type FakeShopifyAdmin, generateProducts, startFakeShopifyAdmin } from "@cartback/shopify-fake";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const run = promisify(execFile);
const SHOP = "cli-catalog.myshopify.com";

describe("npx cartback catalog <shop> on (a process that exits)", () => {
  let dir: string;
  let fake: FakeShopifyAdmin;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "cartback-cli-catalog-"));
    fake = await startFakeShopifyAdmin({ shop: SHOP, products: generateProducts(7, 3), pollsToComplete: 2 });
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    run(process.execPath, ["scripts/cartback.mjs", ...args], {
      cwd: ROOT,
      env: {
        ...process.env, NODE_ENV: "test", CARTBACK_DATA_DIR: dir, DATABASE_URL: "", SMTP_URL: "", LOG_LEVEL: "silent",
        SHOPIFY_SHOP: SHOP, SHOPIFY_ADMIN_TOKEN: fake.state.accessToken, SHOPIFY_API_SECRET: "s", SHOPIFY_ADMIN_API_ORIGIN: fake.origin,
      },
    });

  it("finishes the sync before exiting, so it never stays 'exporting…' after the CLI is gone", { timeout: 180_000 }, async () => {
    const on = await cli("catalog", SHOP, "on");
    expect(on.stdout).toMatch(/^Catalog Sync: On — last synced .+ \(7 variants\)$/m);
    expect(on.stdout).toContain("Catalog sync: done, 7 variants");
    expect(on.stderr).not.toContain("Cannot use a pool");
    const later = await cli("catalog", SHOP);
    expect(later.stdout).toMatch(/^Catalog Sync: On — last synced/m);
  });
});
