import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { ensurePgliteTemplate, seedPgliteDataDir } from "./pglite-template.mjs";

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cb-template-test-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the migrated PGlite template a cold start copies", () => {
  it("gives a new data directory a database that already has every table", { timeout: 120_000 }, async () => {
    ensurePgliteTemplate();
    const dir = scratch();
    expect(await seedPgliteDataDir(dir)).toBe(true);
    const client = await PGlite.create({ dataDir: path.join(dir, "pglite") });
    try {
      const tables = await client.query<{ n: number }>("select count(*)::int as n from information_schema.tables where table_name in ('profiles', 'catalog_sync_staging')");
      expect(tables.rows[0]!.n).toBe(2);
      // Secrets are made at first start, never shipped in the template.
      const state = await client.query<{ n: number }>("select count(*)::int as n from app_state");
      expect(state.rows[0]!.n).toBe(0);
    } finally {
      await client.close();
    }
  });

  it("leaves a data directory that already has a database alone", async () => {
    const dir = scratch();
    mkdirSync(path.join(dir, "pglite"));
    writeFileSync(path.join(dir, "pglite", "mine"), "x");
    expect(await seedPgliteDataDir(dir)).toBe(false);
    expect(readdirSync(path.join(dir, "pglite"))).toEqual(["mine"]);
    expect(existsSync(path.join(dir, "pglite", "PG_VERSION"))).toBe(false);
  });
});
