import { defineConfig } from "vitest/config";

const E2E_FILES = Math.max(1, Math.floor(Number(process.env.CARTBACK_E2E_FILES)) || 2);

// The black-box suite: every file starts Cartback as `npm start` does (a child process on the
// built server) and drives it over HTTP, Chromium and SMTP only. Two files at a time: much of a
// file's time is spent waiting for campaign delays and mail, so one file alone leaves CI's two
// cores mostly idle. The tests wait on conditions (a message, a page, a poll) with generous
// timeouts; CARTBACK_E2E_FILES=1 runs them one at a time again (e.g. on a crowded machine).
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: E2E_FILES,
    fileParallelism: E2E_FILES > 1,
    globalSetup: ["scripts/vitest-global-setup.ts"],
    // CARTBACK_TEST_REPORT=<dir> (CI) adds a JSON report per suite, summed by .ci/run.
    reporters: process.env.CARTBACK_TEST_REPORT ? ["default", "json"] : ["default"],
    outputFile: { json: `${process.env.CARTBACK_TEST_REPORT ?? "test-artifacts"}/vitest-e2e.json` },
  },
});
