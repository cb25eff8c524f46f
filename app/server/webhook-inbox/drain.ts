import { randomUUID } from "node:crypto";
import { inboxRetryMs } from "@cartback/core/inbox/retry";
import type { Logger } from "../logger.ts";
import type { Runtime } from "../runtime.ts";
import { type Applied, applyRow } from "./apply.ts";
import { type InboxRow, leaseBatch, releaseRows } from "./store.ts";
import { Sweeper } from "./sweeper.ts";

/** Rows leased per round: the ingest queue groups them into a few transactions per shop; few enough that validating them does not hold the event loop long. */
const BATCH = 50;
/** An idle drain looks again this often (rows another process stored, held rows come due). */
const IDLE_POLL_MS = 1_000;
/**
 * While deliveries keep arriving, the drain pauses after each round three times as long as the
 * round took: at most a quarter of this process's CPU goes to applying, so answers (one INSERT
 * each) stay fast on a saturated machine, and the backlog is applied at full speed once the
 * burst is over. (Half, as before, left the event loop's p99 delay at 100-300 ms in
 * bench:webhooks' burst.)
 */
const BURST_QUIET_MS = 250;
const PAUSE_FACTOR = 3;
const MAX_PAUSE_MS = 1_000;

export interface InboxDrain {
  /** Rows were stored for it: look now rather than at the next poll. */
  nudge(): void;
  /** A delivery arrived (the drain yields to answers during a burst). */
  arrived(): void;
  readonly sweeper: Sweeper;
  stop(): Promise<void>;
}

const drains = new WeakMap<Runtime, InboxDrain>();

/** This process's drain, if it runs one (the worker does, inline or on its own). */
export function inboxDrainOf(runtime: Runtime): InboxDrain | undefined {
  return drains.get(runtime);
}

/**
 * Applies acknowledged deliveries the route left to it (answered before being applied, or
 * stored by a process that stopped before applying them). Several drains (web processes,
 * workers) may run on one database: leases keep a shop's rows to one of them at a time.
 */
export function startInboxDrain(runtime: Runtime): InboxDrain {
  const logger = runtime.logger.child({ component: "webhook-inbox" });
  const owner = randomUUID();
  const sweeper = new Sweeper(runtime.database.db, logger);
  let stopped = false;
  let wake: (() => void) | null = null;
  let nudged = false;
  let lastArrival = 0;

  const round = () => drainRound(runtime, owner, sweeper);

  const loop = (async () => {
    while (!stopped) {
      let leased = 0;
      const started = performance.now();
      try {
        leased = await round();
      } catch (error) {
        logger.error({ err: error }, "webhook inbox: drain round failed");
      }
      if (stopped) break;
      if (leased > 0) {
        const took = performance.now() - started;
        if (performance.now() - lastArrival < BURST_QUIET_MS) await new Promise((resolve) => setTimeout(resolve, Math.min(took * PAUSE_FACTOR, MAX_PAUSE_MS)));
        continue;
      }
      if (nudged) {
        nudged = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, IDLE_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();

  const drain: InboxDrain = {
    sweeper,
    nudge() {
      nudged = true;
      wake?.();
    },
    arrived() {
      lastArrival = performance.now();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await sweeper.flush();
      drains.delete(runtime);
    },
  };
  drains.set(runtime, drain);
  return drain;
}

/** One round: lease a batch, apply it through ingest, delete what was applied, release what failed. */
async function drainRound(runtime: Runtime, owner: string, sweeper: Sweeper): Promise<number> {
  const logger = runtime.logger.child({ component: "webhook-inbox" });
  const rows = await leaseBatch(runtime.database, owner, BATCH);
  if (rows.length === 0) return 0;
  const results = await Promise.all(
    rows.map((row) =>
      applyRow(runtime, row).then(
        (applied) => ({ row, applied }),
        (error: unknown) => ({ row, error }),
      ),
    ),
  );
  const failed: InboxRow[] = [];
  for (const result of results) {
    if ("error" in result) {
      failed.push(result.row);
      logger.error({ err: result.error, shop: result.row.shop, topic: result.row.topic, attempts: result.row.attempts }, "webhook inbox: apply failed; kept for a retry");
      continue;
    }
    noteNothing(logger, result.applied, result.row);
    sweeper.remove(result.row.id);
  }
  await sweeper.flush();
  const retryMs = inboxRetryMs(Math.max(1, ...failed.map((r) => r.attempts)));
  await releaseRows(runtime.database.db, failed.map((r) => r.id), retryMs, "apply failed (see the logs)");
  return rows.length;
}

function noteNothing(logger: Logger, applied: Applied, row: InboxRow): void {
  if (applied.type === "nothing") logger.warn({ shop: row.shop, topic: row.topic, reason: applied.reason }, "webhook inbox: delivery dropped");
}
