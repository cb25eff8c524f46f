// Browser and HTTP tests run the real built app: build it once before any test file starts.
// Then what the forks share (test-databases.ts): the PGlite dump and a database per fork.
import type { TestProject } from "vitest/node";
import { buildIfStale } from "./build-if-stale.mjs";
import { createForkDatabases, ensurePgliteDump } from "./test-databases.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** A migrated in-memory PGlite (dumpDataDir) that db/src/testing.ts opens instead of initdb. */
    pgliteDump: string;
    /** TEST_DATABASE_URL as given; each fork runs on its own database derived from it. */
    testDatabaseBase: string;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  buildIfStale({ quiet: true });
  project.provide("pgliteDump", await ensurePgliteDump());
  const base = process.env.TEST_DATABASE_URL ?? "";
  if (base) await createForkDatabases(base);
  project.provide("testDatabaseBase", base);
}
