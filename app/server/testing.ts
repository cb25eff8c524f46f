import type { Database } from "@cartback/db";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import type { Runtime } from "./runtime.ts";

/** A Runtime over an already-open test database, for calling route loaders/actions directly. */
export function createTestRuntime(database: Database, env: Record<string, string> = {}): Runtime {
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", CARTBACK_WORKER: "off", ...env });
  return {
    config,
    database,
    logger: createLogger({ level: "silent" }),
    appSecret: "test-app-secret",
    worker: { state: "off" },
    startedAt: new Date(),
  };
}

/** Route args for a Remix loader/action called directly in a test. */
export function routeArgs(runtime: Runtime, request: Request, params: Record<string, string> = {}) {
  return { request, params, context: { runtime } };
}
