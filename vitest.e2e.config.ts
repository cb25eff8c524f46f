import { defineConfig } from "vitest/config";

// The black-box suite: every file starts Cartback as `npm start` does (a child process on the
// built server) and drives it over HTTP, Chromium and SMTP only. Files run one at a time so
// their timing (short campaign delays) does not suffer from a crowded machine.
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    fileParallelism: false,
    globalSetup: ["scripts/vitest-global-setup.ts"],
    // CARTBACK_TEST_REPORT=<dir> (CI) adds a JSON report per suite, summed by .ci/run.
    reporters: process.env.CARTBACK_TEST_REPORT ? ["default", "json"] : ["default"],
    outputFile: { json: `${process.env.CARTBACK_TEST_REPORT ?? "test-artifacts"}/vitest-e2e.json` },
  },
});
