import { SEND_RENDER_BUDGET_MS } from "@cartback/templates";
import { announceDrains } from "./drain-presence.ts";
import { startMaintenance } from "./maintenance.ts";
import type { Runtime } from "./runtime.ts";
import { startEventDrain } from "./event-inbox/drain.ts";
import { startInboxDrain } from "./webhook-inbox/drain.ts";
import { type WorkerOptions, startWorker as startCampaignWorker } from "./worker/worker.ts";

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * Everything a worker runs, the inline one of `npm start` and `npm run worker` alike: the
 * campaign worker, housekeeping and the webhook and event inboxes' drains.
 */
export async function startBackgroundWork(runtime: Runtime, campaignOptions: WorkerOptions = {}): Promise<WorkerHandle> {
  runtime.worker = { state: "starting" };
  try {
    const [campaigns, maintenance] = await Promise.all([startCampaignWorker(runtime, campaignOptions), startMaintenance(runtime)]);
    const inbox = startInboxDrain(runtime);
    const events = startEventDrain(runtime);
    // Web processes without drains of their own queue bursts while this says a drain runs.
    const announcement = announceDrains(runtime.database, runtime.logger);
    return {
      async stop() {
        runtime.worker = { ...runtime.worker, state: "stopping" };
        await announcement.stop();
        await Promise.all([campaigns.stop(), maintenance.stop(), inbox.stop(), events.stop()]);
        runtime.worker = { state: "stopped" };
      },
    };
  } catch (error) {
    runtime.worker = { state: "failed", detail: error instanceof Error ? error.message : String(error) };
    throw error;
  }
}

/**
 * The web process runs the worker itself when CARTBACK_WORKER=inline (the embedded default);
 * with `off` it leaves it to `npm run worker` processes (scale-out).
 */
export async function startWorker(runtime: Runtime): Promise<WorkerHandle> {
  if (runtime.config.worker === "off") {
    runtime.worker = { state: "off", detail: "CARTBACK_WORKER=off: run `npm run worker` separately" };
    return { stop: async () => {} };
  }
  // Sharing the event loop with HTTP: a render gets the send-time budget, not the engine's limit.
  return startBackgroundWork(runtime, { renderBudgetMs: SEND_RENDER_BUDGET_MS });
}
