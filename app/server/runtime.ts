import { randomBytes } from "node:crypto";
import { type Database, openDatabase } from "@cartback/db";
import { appState } from "@cartback/db";
import { eq } from "drizzle-orm";
import { handleActivityWithRevenue } from "./revenue/hook.ts";
import type { Config } from "./config.ts";
import { createIngestService, type IngestService } from "./ingest/service.ts";
import { createRateLimits, type RateLimits } from "./rate-limit.ts";
import { recordInstall } from "./shops/install.ts";
import type { Logger } from "./logger.ts";

/** How the worker is doing, as /healthz reports it. */
export interface WorkerStatus {
  state: "off" | "starting" | "running" | "stopping" | "stopped" | "failed";
  detail?: string;
}

/**
 * Everything a request handler, the worker or the CLI needs, built once per process and
 * handed to Remix routes as `context.runtime` (see load-context.ts).
 */
export interface Runtime {
  config: Config;
  database: Database;
  logger: Logger;
  /** Installation secret for signing our own tokens (unsubscribe links, admin sessions). */
  appSecret: string;
  worker: WorkerStatus;
  startedAt: Date;
  /** The one way events come in, from every source, with the campaign hook wired in. */
  ingest: IngestService;
  /** Per-process token buckets of the public endpoints (rate-limit.ts). */
  limits: RateLimits;
}

export async function createRuntime(config: Config, logger: Logger, database?: Database): Promise<Runtime> {
  database ??= await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
  });
  const appSecret = await installationSecret(database);
  const runtime: Runtime = {
    config,
    database,
    logger,
    appSecret,
    worker: { state: config.worker === "off" ? "off" : "starting" },
    startedAt: new Date(),
    // Every accepted cart event opens, debounces or ends abandonment episodes in the same
    // transaction that stores it.
    ingest: createIngestService({ database, logger }, { onActivity: handleActivityWithRevenue }),
    limits: createRateLimits({ enabled: config.rateLimits === "on" }),
  };
  // A self-hosted install has exactly one shop, known from the start.
  if (config.mode.type === "self-hosted") await recordInstall(database.db, config.mode.shop);
  return runtime;
}

/** Generated on first start and kept in the database so every process of a scale-out shares it. */
async function installationSecret(database: Database): Promise<string> {
  const key = "app_secret";
  const candidate = randomBytes(32).toString("base64url");
  await database.db.insert(appState).values({ key, value: candidate }).onConflictDoNothing();
  const [row] = await database.db.select().from(appState).where(eq(appState.key, key));
  return row!.value;
}
