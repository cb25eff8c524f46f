// `npm run worker`: the campaign worker and the webhook inbox's drain, for scale-out beside
// web processes started with CARTBACK_WORKER=off. Runs from the server build like the web process
// (scripts/worker.mjs). SIGTERM/SIGINT let the current round finish first.
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { createRuntime } from "./runtime.ts";
import { startEventDrain } from "./event-inbox/drain.ts";
import { startInboxDrain } from "./webhook-inbox/drain.ts";
import { startWorker } from "./worker/worker.ts";

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
  const worker = await startWorker(runtime);
  // Webhooks the web processes acknowledged and left (a burst, or a crash after the 200).
  const inbox = startInboxDrain(runtime);
  // Storefront and API events the web processes acknowledged in a burst.
  const events = startEventDrain(runtime);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping campaign worker");
    await Promise.all([worker.stop(), inbox.stop(), events.stop()]);
    await runtime.database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
