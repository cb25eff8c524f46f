import { createServer } from "node:http";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Database } from "@cartback/db";
import express from "express";
import { ensureAdminCredentials, hashFirstStart } from "./admin-auth/credentials.ts";
import { applyRequestGuards, clientAddress } from "./admin-auth/request-guards.ts";
import { ConfigError, type Config, loadConfig } from "./config.ts";
import { ingestNodeHandler } from "./ingest/node-handler.ts";
import { createLogger } from "./logger.ts";
import { stopWhenParentExits } from "./parent-watch.ts";
import { createRuntime, type Runtime } from "./runtime.ts";
import { startWorker } from "./worker-host.ts";

export interface RunningServer {
  url: string;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * How the process was built. This module is itself part of the server build (entry.server
 * re-exports it): the routes and the runtime they are handed are one module graph, so state
 * such as the ingest queue and the shop cache exists once per process.
 */
export interface BuiltApp {
  build: ServerBuild;
  /** app/build/client: static assets. */
  clientDir: string;
}

/** Starts the web process: HTTP server, Remix routes, and (on the embedded default) the worker. */
export interface StartOptions {
  quiet?: boolean;
  /** An already-open database (tests); the server then leaves closing it to the caller. */
  database?: Database;
}

export async function startServer(config: Config, app: BuiltApp, options: StartOptions = {}): Promise<RunningServer> {
  const logger = createLogger({ level: config.logLevel });
  // A first start's password hashing (scrypt, off the main thread) overlaps opening the database.
  const firstStartHashes = hashFirstStart(config);
  firstStartHashes.catch(() => {});
  const runtime = await createRuntime(config, logger, options.database);
  const { build, clientDir } = app;

  const web = express();
  web.disable("x-powered-by");
  applyRequestGuards(web, config);
  web.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  web.use(express.static(clientDir, { maxAge: "1h" }));
  web.all("*", createRequestHandler({ build, getLoadContext: (req) => ({ runtime, clientAddress: clientAddress(req) }) }));

  // The event endpoints take most of the traffic: served ahead of Express and Remix.
  const ingestEndpoints = ingestNodeHandler(runtime);
  const server = createServer((req, res) => {
    if (!ingestEndpoints(req, res)) web(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 65_000;
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = config.appUrl.startsWith("http://localhost") ? `http://localhost:${port}` : config.appUrl;
  // Without SHOPIFY_APP_URL, links (unsubscribe, recovery) point at the port actually bound.
  runtime.config = { ...config, appUrl: url };

  const worker = await startWorker(runtime);
  const firstStart = await ensureAdminCredentials(config, firstStartHashes);
  if (!options.quiet) printBanner(runtime, url, firstStart);
  logger.info({ port, mode: config.mode.type, database: runtime.database.kind }, "cartback listening");

  return {
    url,
    runtime,
    async close() {
      // The worker's stop (at most ~11 s, worker.ts) and the HTTP close (at most 5 s) run side by side.
      const httpClosed = (async () => {
        // Idle keep-alive connections would hold close() open for keepAliveTimeout (65 s).
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        server.closeAllConnections();
      })();
      await Promise.all([worker.stop(), httpClosed]);
      if (!options.database) await runtime.database.close();
    },
  };
}

// The banner goes to stdout once; the generated password and login link are never logged.
function printBanner(runtime: Runtime, url: string, firstStart: Awaited<ReturnType<typeof ensureAdminCredentials>>) {
  const { config } = runtime;
  const lines = [
    "",
    `  Cartback is running at ${url}`,
    `  Admin:    ${url}/app${config.mode.type === "partner" ? " (open it from the Shopify admin)" : ""}`,
    `  Health:   ${url}/healthz`,
    `  Database: ${runtime.database.kind === "pglite" ? `embedded PGlite in ${path.resolve(config.dataDir)}` : "PostgreSQL (DATABASE_URL)"}`,
  ];
  if (firstStart) {
    lines.push(
      "",
      "  First start: an admin password was generated. It is shown only this once.",
      `  Password:       ${firstStart.password}`,
      `  One-time login: ${url}/auth/login?once=${firstStart.oneTimeToken}`,
      "  (Set ADMIN_PASSWORD to choose your own.)",
    );
  }
  process.stdout.write(`${lines.join("\n")}\n\n`);
}

/** Reads the configuration or stops the process with one line naming the variable (exit 2). */
export function readConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`cartback: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** SIGTERM to exit, at most: the worker's bound (~11 s) plus room for closing the database. */
export const SHUTDOWN_BACKSTOP_MS = 30_000;

/** `npm start`, from the server build (scripts/start.mjs). */
export async function runServer(app: BuiltApp): Promise<void> {
  const config = readConfigOrExit();
  const running = await startServer(config, app);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.runtime.logger.info({ signal }, "shutting down");
    // Backstop: whatever hangs (housekeeping has no deadline of its own), the process ends.
    setTimeout(() => process.exit(1), SHUTDOWN_BACKSTOP_MS).unref();
    await running.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  stopWhenParentExits((reason) => void stop(reason));
}
