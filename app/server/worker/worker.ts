import type { Db } from "@cartback/db";
import type { CampaignDeps } from "../campaigns/deps.ts";
import { defaultDeps } from "../campaigns/deps.ts";
import type { SchedulerContext } from "../campaigns/context.ts";
import { decideDue } from "../campaigns/decide-due.ts";
import { claimRecoverable, deliver } from "../campaigns/deliver.ts";
import { createMailTransport } from "../mail/index.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { Runtime } from "../runtime.ts";
import type { SendRow } from "../campaigns/decide-due.ts";
import { Semaphore } from "./semaphore.ts";

export interface WorkerOptions {
  deps?: CampaignDeps;
  transport?: MailTransport;
  /** Idle wait between polls; bounds the lateness of a send when the worker is idle. */
  pollMs?: number;
  batchSize?: number;
  /** Deliveries in flight at once (SMTP pool connections are the real limit). */
  concurrency?: number;
  leaseMs?: number;
  retryBaseMs?: number;
  now?: () => Date;
  onlyShops?: string[];
}

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * The campaign worker: a loop that decides due episodes, resumes abandoned or retrying sends
 * and delivers them. All of its state is in the database, so any number of these (in the web
 * process or `npm run worker`) can run against one PostgreSQL, and a killed one loses nothing.
 * `stop()` lets the current round finish: no send is left half-recorded by a shutdown.
 */
export async function startWorker(runtime: Runtime, options: WorkerOptions = {}): Promise<WorkerHandle> {
  const logger = runtime.logger.child({ component: "worker" });
  const transport = options.transport ?? createMailTransport(runtime.config);
  const ctx: SchedulerContext = {
    db: runtime.database.db as Db,
    deps: options.deps ?? defaultDeps(),
    logger,
    appUrl: runtime.config.appUrl,
    appSecret: runtime.appSecret,
    mailFrom: runtime.config.mailFrom,
    now: options.now ?? (() => new Date()),
    leaseMs: options.leaseMs ?? 5 * 60_000,
    retryBaseMs: options.retryBaseMs ?? 30_000,
    onlyShops: options.onlyShops,
  };
  const pollMs = options.pollMs ?? 200;
  const batchSize = options.batchSize ?? 200;
  const concurrency = options.concurrency ?? 16;
  let stopping = false;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  runtime.worker = { state: "running", detail: `transport: ${transport.kind}` };
  logger.info({ transport: transport.kind }, "campaign worker started");

  // Deciding the next batch overlaps with delivering the previous one; the number of sends
  // held in memory is bounded by `inflightLimit`, whatever the backlog in the database.
  // Kept small so that a claimed send waits in memory for far less than its lease.
  const inflightLimit = Math.max(concurrency * 4, 20);
  const inflight = new Set<Promise<void>>();
  const slots = new Semaphore(concurrency);
  const launch = (send: SendRow, resumed: boolean) => {
    const p = slots
      .run(() => deliver(ctx, transport, send, { resumed }))
      .catch((error: unknown) => logger.error({ err: error, send: send.id }, "delivery failed; its lease will hand it to a worker again"))
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  const loop = (async () => {
    let failures = 0;
    while (!stopping) {
      try {
        const room = inflightLimit - inflight.size;
        if (room < inflightLimit / 2) {
          await Promise.race(inflight);
          continue;
        }
        const { decided, sends } = await decideDue(ctx, Math.min(batchSize, room));
        const resumed = await claimRecoverable(ctx, Math.max(1, Math.min(batchSize, room - sends.length)));
        for (const send of sends) launch(send, false);
        for (const send of resumed) launch(send, true);
        failures = 0;
        if (decided === 0 && resumed.length === 0 && !stopping) await sleep(pollMs);
      } catch (error) {
        failures++;
        logger.error({ err: error, failures }, "worker round failed");
        if (!stopping) await sleep(Math.min(pollMs * 2 ** failures, 30_000));
      }
    }
    await Promise.all(inflight);
  })();

  return {
    async stop() {
      if (!stopping) {
        stopping = true;
        runtime.worker = { state: "stopping" };
        wake?.();
      }
      await loop;
      if (!options.transport) await transport.close();
      runtime.worker = { state: "stopped" };
      logger.info("campaign worker stopped");
    },
  };
}
