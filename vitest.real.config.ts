import { defineConfig } from "vitest/config";

// Checks on captures of real shops that the repository cannot ship (no licence). Runs only
// when CARTBACK_REAL_FIXTURES names their directory (.ci/run passes ../shared/fixtures/shopify);
// the default `npm test` never lists these files.
if (!process.env.CARTBACK_REAL_FIXTURES) throw new Error("set CARTBACK_REAL_FIXTURES to a fixtures/shopify directory of real captures");

export default defineConfig({
  test: {
    include: ["fixtures/real/**/*.real.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
