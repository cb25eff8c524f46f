import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { type Database, openDatabase } from "./client.ts";

/** A shop domain no other test uses: the unit of isolation for database tests. */
export function randomShop(prefix = "test"): string {
  return `${prefix}-${randomBytes(6).toString("hex")}.myshopify.com`;
}

export interface DatabaseTarget {
  name: "pglite" | "postgres";
  open(): Promise<Database>;
}

let dump: Blob | undefined;
/**
 * The migrated database the unit suite's global setup dumped (scripts/test-databases.ts): a
 * PGlite opened from it skips initdb; openDatabase still applies any migration it lacks.
 */
function pgliteDump(): Blob | undefined {
  const file = inject("pgliteDump");
  if (file && !dump) dump = new Blob([readFileSync(file)]);
  return dump;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [
    { name: "pglite", open: () => openDatabase({ memory: true, loadDataDir: pgliteDump() }) },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) targets.push({ name: "postgres", open: () => openDatabase({ url, poolSize: 4 }) });
  return targets;
}

/**
 * Runs the suite once per database target. One database per file and target (PGlite takes
 * ~1 s to open from the dump, seconds more from initdb); tests inside isolate themselves with randomShop().
 */
export function describeEachDatabase(
  title: string,
  suite: (database: () => Database, target: DatabaseTarget["name"]) => void,
): void {
  for (const target of databaseTargets()) {
    describe(`${title} [${target.name}]`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await target.open();
      });
      afterAll(async () => {
        await database?.close();
      });
      suite(() => {
        if (!database) throw new Error("database not open yet");
        return database;
      }, target.name);
    });
  }
}
