import type { Database } from "@cartback/db";
import { loadConfig } from "./config.ts";
import { createIngestService } from "./ingest/service.ts";
import { createLogger } from "./logger.ts";
import { createRateLimits } from "./rate-limit.ts";
import type { Runtime } from "./runtime.ts";

export const TEST_MAIL_FROM = "Cartback Test <carts@cartback.test>";

/** A Runtime over an already-open test database, for calling route loaders/actions directly. */
export function createTestRuntime(database: Database, env: Record<string, string> = {}): Runtime {
  // A sender as an operator's MAIL_FROM gives one: without any, nothing is sent (mail/sender.ts).
  const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", CARTBACK_WORKER: "off", MAIL_FROM: TEST_MAIL_FROM, ...env });
  const logger = createLogger({ level: "silent" });
  // No campaign hook unless a test wires one (configureIngest): most route tests look at
  // what was stored, not at episodes.
  return {
    config,
    database,
    logger,
    appSecret: "test-app-secret",
    worker: { state: "off" },
    startedAt: new Date(),
    ingest: createIngestService({ database, logger }),
    limits: createRateLimits(),
  };
}

/** Route args for a Remix loader/action called directly in a test. */
export function routeArgs(runtime: Runtime, request: Request, params: Record<string, string> = {}) {
  return { request, params, context: { runtime } };
}

/** Self-hosted settings that send Admin API calls to a local fake (`@cartback/shopify-fake`). */
export function fakeAdminEnv(shop: string, fake: { origin: string; state: { accessToken: string } }, overrides: Record<string, string> = {}) {
  return {
    SHOPIFY_SHOP: shop,
    SHOPIFY_ADMIN_TOKEN: fake.state.accessToken,
    SHOPIFY_API_SECRET: "s",
    SHOPIFY_ADMIN_API_ORIGIN: fake.origin,
    ...overrides,
  };
}
