import { defineConfig } from "vitest/config";

// One run over every workspace. Database-backed files share one PGlite per file
// (it takes ~3 s to start) and isolate their tests by a random shop id.
export default defineConfig({
  test: {
    include: ["{app,db,packages,extensions,scripts}/**/*.test.{ts,tsx}"],
    exclude: ["**/node_modules/**", "**/build/**", "**/dist/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["scripts/vitest-global-setup.ts"],
    // CARTBACK_TEST_REPORT=<dir> (CI) adds a JSON report per suite, summed by .ci/run.
    reporters: process.env.CARTBACK_TEST_REPORT ? ["default", "json"] : ["default"],
    outputFile: { json: `${process.env.CARTBACK_TEST_REPORT ?? "test-artifacts"}/vitest-unit.json` },
  },
});
