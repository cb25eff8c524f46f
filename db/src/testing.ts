import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import { type Database, openDatabase } from "./client.ts";

/** A shop domain no other test uses: the unit of isolation for database tests. */
export function randomShop(prefix = "test"): string {
  return `${prefix}-${randomBytes(6).toString("hex")}.myshopify.com`;
}

export interface DatabaseTarget {
  name: "pglite" | "postgres";
  open(): Promise<Database>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function databaseTargets(): DatabaseTarget[] {
  const targets: DatabaseTarget[] = [
    { name: "pglite", open: () => openDatabase({ memory: true }) },
  ];
  const url = process.env.TEST_DATABASE_URL;
  if (url) targets.push({ name: "postgres", open: () => openDatabase({ url, poolSize: 4 }) });
  return targets;
}

/**
 * Runs the suite once per database target. One database per file and target (PGlite takes
 * ~3 s to start); tests inside isolate themselves with randomShop().
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
