import type { Runtime } from "./runtime.ts";

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * Runs the campaign worker inside the web process when CARTBACK_WORKER=inline (the embedded
 * default); `npm run worker` runs it on its own for scale-out.
 */
export async function startWorker(runtime: Runtime): Promise<WorkerHandle> {
  if (runtime.config.worker === "off") {
    runtime.worker = { state: "off", detail: "CARTBACK_WORKER=off: run `npm run worker` separately" };
    return { stop: async () => {} };
  }
  runtime.worker = { state: "off", detail: "the campaign worker is not part of this build yet" };
  return { stop: async () => {} };
}
