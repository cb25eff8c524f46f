// Runs in each fork before each test file: TEST_DATABASE_URL names this fork's own database
// (test-databases.ts), for db/src/testing.ts and for the tests that spawn processes with it.
import { inject } from "vitest";
import { forkDatabaseUrl } from "./test-databases.ts";

const base = inject("testDatabaseBase");
if (base) process.env.TEST_DATABASE_URL = forkDatabaseUrl(base, inject("testRun"), process.env.VITEST_POOL_ID ?? 1);
