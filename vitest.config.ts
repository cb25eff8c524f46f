import { defineConfig } from "vitest/config";
import { TEST_FORKS } from "./scripts/test-databases.ts";

// One run over every workspace. Database-backed files share one PGlite per file (opened
// from a migrated dump) and isolate their tests by a random shop id. Two forks, each on its
// own PostgreSQL database (scripts/test-databases.ts); CARTBACK_TEST_FORKS=1 for one.
// A fork keeps its imported modules from one file to the next (isolate: false): importing the
// app's server graph again for every file cost about a quarter of the suite's CPU time, and no
// file relies on fresh module state (each opens its own database and uses its own random shops).
export default defineConfig({
  test: {
    include: ["{app,db,packages,extensions,scripts}/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/build/**", "**/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: TEST_FORKS,
    isolate: false,
    globalSetup: ["scripts/vitest-global-setup.ts"],
    setupFiles: ["scripts/vitest-fork-setup.ts"],
    // CARTBACK_TEST_REPORT=<dir> (CI) adds a JSON report per suite, summed by .ci/run.
    reporters: process.env.CARTBACK_TEST_REPORT ? ["default", "json"] : ["default"],
    outputFile: { json: `${process.env.CARTBACK_TEST_REPORT ?? "test-artifacts"}/vitest-unit.json` },
  },
});
