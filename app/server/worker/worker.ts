import { RETRY_BASE_MS } from "@cartback/core/campaign/retry";
import type { Db } from "@cartback/db";
import type { CampaignDeps } from "../campaigns/deps.ts";
import { defaultDeps } from "../campaigns/deps.ts";
import type { SchedulerContext } from "../campaigns/context.ts";
import { decideDue } from "../campaigns/decide-due.ts";
import { claimRecoverable, deliver, releaseLeases } from "../campaigns/deliver.ts";
import { adminDiscountIssuer } from "../discounts/issue.ts";
import { createMailTransport } from "../mail/index.ts";
import { adminClientFor } from "../shopify/admin-runtime.ts";
import type { MailTransport } from "../mail/transport.ts";
import type { Logger } from "../logger.ts";
import type { Runtime } from "../runtime.ts";
import { Deliveries } from "./deliveries.ts";
import { Semaphore } from "./semaphore.ts";
import { Waits } from "./waits.ts";

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
  /** How long stop() waits for sends already handed to the transport (see STOP_TIMEOUT_MS). */
  stopTimeoutMs?: number;
  now?: () => Date;
  onlyShops?: string[];
  /**
   * Milliseconds one email may render (templates' SEND_RENDER_BUDGET_MS) when this worker
   * shares its event loop with the web process; a worker process of its own takes the
   * engine's limit, there is no HTTP to keep waiting.
   */
  renderBudgetMs?: number;
}

/**
 * stop() waits this long for sends already with the transport, then up to STOP_GRACE_MS for
 * those the closed transport fails at once; any still running are left to their lease (resumed
 * then by a worker, with the same Message-ID).
 */
export const STOP_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 1_000;

/**
 * Deciding the next batch overlaps with delivering the previous one; the sends held in memory
 * are bounded by this, whatever the backlog in the database. Small enough that a claimed send
 * waits in memory for far less than its lease (128 sends are a fraction of a second of SMTP),
 * large enough that a round decides ~64 at once: a round's statements are fixed in number, so
 * bigger rounds mean fewer per email. Not more: a send waiting in memory longer than deliver.ts
 * FRESH_DECISION_MS (2 s) is checked again with every rule, so on a slow machine a longer queue
 * would cost more statements than bigger rounds save.
 */
const inflightLimitFor = (concurrency: number) => Math.max(concurrency * 8, 20);

export interface WorkerHandle {
  stop(): Promise<void>;
}

/**
 * The campaign worker: a loop that decides due episodes, resumes abandoned or retrying sends
 * and delivers them. All of its state is in the database, so any number of these (in the web
 * process or `npm run worker`) can run against one PostgreSQL, and a killed one loses nothing.
 * `stop()` lets the current round finish and returns within STOP_TIMEOUT_MS + 1 s, whatever
 * the relay does: sends not yet started are handed back at once (their lease released).
 */
export async function startWorker(runtime: Runtime, options: WorkerOptions = {}): Promise<WorkerHandle> {
  const logger = runtime.logger.child({ component: "worker" });
  const transport = options.transport ?? createMailTransport(runtime.config);
  const ctx = schedulerContext(runtime, options, logger);
  const pollMs = options.pollMs ?? 200;
  const batchSize = options.batchSize ?? 200;
  const concurrency = options.concurrency ?? 16;
  const stopTimeoutMs = options.stopTimeoutMs ?? STOP_TIMEOUT_MS;
  let stopping = false;

  runtime.worker = { state: "running", detail: `transport: ${transport.kind}` };
  logger.info({ transport: transport.kind }, "campaign worker started");

  const inflightLimit = inflightLimitFor(concurrency);
  const deliveries = new Deliveries(
    new Semaphore(concurrency),
    (send, resumed) => deliver(ctx, transport, send, { resumed }),
    (error, send) => logger.error({ err: error, send: send.id }, "delivery failed; its lease will hand it to a worker again"),
  );

  // Two rounds in flight: one decides (database, render) while the other's sends go out, and
  // the SMTP connections are not left idle while a round waits on its statements.
  const lanes = Array.from({ length: ROUNDS_IN_FLIGHT }, () => new Waits());
  const fill: Fill = { ctx, deliveries, inflightLimit, batchSize, pollMs, reserved: 0, stopping: () => stopping, logger };
  const loop = Promise.all(lanes.map((waits) => runRounds(fill, waits)));

  const shutdown = async () => {
    stopping = true;
    runtime.worker = { state: "stopping" };
    for (const waits of lanes) waits.wake();
    await loop;
    // Not started: due again at once, for the next worker (or this one after a restart).
    await releaseLeases(ctx, deliveries.takeUnstarted()).catch((error: unknown) => logger.error({ err: error }, "could not hand back unstarted sends; their lease will"));
    let left = await deliveries.drain(stopTimeoutMs);
    // Closing the pool fails at once the sends still waiting for a connection (recorded as retries).
    if (!options.transport) await transport.close();
    if (left > 0) left = await deliveries.drain(STOP_GRACE_MS);
    if (left > 0) logger.warn({ left }, "stopped with sends still at the relay; their lease hands them on");
    runtime.worker = { state: "stopped" };
    logger.info("campaign worker stopped");
  };
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= shutdown();
      return stopped;
    },
  };
}

const ROUNDS_IN_FLIGHT = 2;

interface Fill {
  ctx: SchedulerContext;
  deliveries: Deliveries;
  inflightLimit: number;
  batchSize: number;
  pollMs: number;
  /** Sends the rounds now deciding may add (each round's batch size), counted against the limit. */
  reserved: number;
  stopping: () => boolean;
  logger: Logger;
}

/** One lane of rounds: claim and decide a batch, resume abandoned sends, hand them to the deliveries. */
async function runRounds(fill: Fill, waits: Waits): Promise<void> {
  const { ctx, deliveries, inflightLimit, batchSize, pollMs } = fill;
  let failures = 0;
  while (!fill.stopping()) {
    try {
      const room = inflightLimit - deliveries.size - fill.reserved;
      if (room < inflightLimit / 4) {
        await (deliveries.size > 0 ? waits.until(deliveries.anySettled()) : waits.sleep(pollMs));
        continue;
      }
      const want = Math.min(batchSize, room);
      fill.reserved += want;
      let found = 0;
      try {
        const { decided, sends } = await decideDue(ctx, want);
        // The sends just decided are this worker's too (a slow round may outlast their lease).
        const resumed = await claimRecoverable(ctx, Math.max(1, want - sends.length), [...deliveries.heldIds(), ...sends.map((s) => s.id)]);
        for (const send of sends) deliveries.launch(send, false);
        for (const send of resumed) deliveries.launch(send, true);
        found = decided + resumed.length;
      } finally {
        fill.reserved -= want;
      }
      failures = 0;
      if (found === 0 && !fill.stopping()) await waits.sleep(pollMs);
    } catch (error) {
      failures++;
      fill.logger.error({ err: error, failures }, "worker round failed");
      if (!fill.stopping()) await waits.sleep(Math.min(pollMs * 2 ** failures, 30_000));
    }
  }
}

function schedulerContext(runtime: Runtime, options: WorkerOptions, logger: Logger): SchedulerContext {
  return {
    db: runtime.database.db as Db,
    deps: options.deps ?? defaultDeps(),
    logger,
    appUrl: runtime.config.appUrl,
    appSecret: runtime.appSecret,
    mailFrom: runtime.config.mailFrom,
    newRecipientsPerHour: runtime.config.newRecipientsPerHour,
    now: options.now ?? (() => new Date()),
    leaseMs: options.leaseMs ?? 5 * 60_000,
    retryBaseMs: options.retryBaseMs ?? RETRY_BASE_MS,
    onlyShops: options.onlyShops,
    renderBudgetMs: options.renderBudgetMs,
    discounts: adminDiscountIssuer(adminClientFor(runtime)),
  };
}
