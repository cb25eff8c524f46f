import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "@cartback/db";
import { loadConfig } from "./config.ts";
import { loadBuiltApp } from "./built-app.ts";
import type { RunningServer } from "./main.ts";

export interface TestServer extends RunningServer {
  dataDir: string;
}

/**
 * The real web process (Express + the built Remix app, started through the build's own
 * entry point as `npm start` does) on a random port, for HTTP and browser tests. Pass `database` to share one already open; otherwise a PGlite database in
 * a temporary data directory (or PostgreSQL when env has DATABASE_URL).
 * The app must be built: vitest's global setup runs scripts/build-if-stale.mjs.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; database?: Database } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "cartback-test-"));
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    CARTBACK_WORKER: "off",
    CARTBACK_DATA_DIR: dataDir,
    // Without a sender nothing is sent (mail/sender.ts); tests of that pass MAIL_FROM: "".
    MAIL_FROM: "Cartback Test <carts@cartback.test>",
    ...options.env,
  });
  const app = await loadBuiltApp();
  const running = await app.entry.startServer(config, app, { quiet: true, database: options.database });
  return {
    ...running,
    dataDir,
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
