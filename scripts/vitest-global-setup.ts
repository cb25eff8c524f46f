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
    /** This run's id in the forks' database names (test-databases.ts). */
    testRun: number;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  buildIfStale({ quiet: true });
  project.provide("pgliteDump", await ensurePgliteDump());
  // Only the unit suite's forks (vitest-fork-setup.ts) take a database of their own.
  const base = project.config.setupFiles.some((file) => file.endsWith("vitest-fork-setup.ts")) ? process.env.TEST_DATABASE_URL ?? "" : "";
  project.provide("testDatabaseBase", base);
  project.provide("testRun", process.pid);
  return base ? await createForkDatabases(base, process.pid) : undefined;
}
