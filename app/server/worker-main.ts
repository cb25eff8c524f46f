// `npm run worker`: what the inline worker of `npm start` runs (campaign worker, housekeeping,
// the webhook and event inboxes' drains: worker-host.ts), for scale-out beside web processes
// started with CARTBACK_WORKER=off. Runs from the server build like the web process
// (scripts/worker.mjs). SIGTERM/SIGINT let the current round finish first.
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { stopWhenParentExits } from "./parent-watch.ts";
import { createRuntime } from "./runtime.ts";
import { startBackgroundWork } from "./worker-host.ts";

export async function runWorker(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`cartback worker: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const runtime = await createRuntime(config, logger);
  // One list of background work for both kinds of worker: this one used to miss the housekeeping
  // (shop settings from Shopify, catalog syncs left waiting, event-history retention).
  const work = await startBackgroundWork(runtime);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping campaign worker");
    await work.stop();
    await runtime.database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  stopWhenParentExits((reason) => void shutdown(reason));
}
