import { randomUUID } from "node:crypto";
import { type Database, type Db, retryConflicts } from "@cartback/db";
import { applyEvents } from "../ingest/apply.ts";
import type { Runtime } from "../runtime.ts";
import { findShop } from "../shops/lookup.ts";
import { markFailed, takeRows, tryLockShop, waitingShops } from "./store.ts";

/**
 * Events per transaction. An apply costs a fixed 7-9 round trips whatever its size, so a
 * backlog is cheapest in large batches (a burst's single-event requests cost that each); but
 * stitching and deriving a batch holds the event loop, and answers wait meanwhile: 2,000
 * events of new shoppers held it for hundreds of milliseconds on the loaded bench machine.
 */
const BATCH = 500;
/** A round goes on with a shop's next batch until this long has passed. */
const ROUND_BUDGET_MS = 1_000;
/** Shops looked at per round; each is applied in its own transaction, one after the other. */
const SHOPS_PER_ROUND = 16;
const IDLE_POLL_MS = 1_000;
/** A row that failed on its own waits this long per attempt, at most RETRY_MAX_MS. */
const RETRY_STEP_MS = 5_000;
const RETRY_MAX_MS = 5 * 60_000;
/**
 * While events keep arriving, rounds start at most once every BURST_ROUND_MS, and pause at least
 * as long as they took: a round then applies a second's arrivals in one large transaction (a
 * drain that kept up in rounds of a few events paid a transaction per few events, as inline
 * apply did: 0.18 of the write ceiling at 16 connections), and at most about half of this
 * process's CPU goes to applying, so answers stay fast on a saturated machine. Once the burst
 * is over the backlog is applied at full speed. bench:ingest reports both rates.
 */
const BURST_QUIET_MS = 250;
const BURST_ROUND_MS = 1_000;
const MAX_PAUSE_MS = 2_000;

export interface EventDrain {
  /** Rows were stored (a burst is on): look now rather than at the next poll. */
  nudge(): void;
  /** Events applied since start (the bench reports the drain's rate). */
  readonly applied: number;
  stop(): Promise<void>;
}

const drains = new WeakMap<Database, EventDrain>();

/** The drain running on this database in this process, if any: events are queued only when one is. */
export function eventDrainOf(database: Database): EventDrain | undefined {
  return drains.get(database);
}

/**
 * Applies events acknowledged from the inbox (a burst's, or those a crash left). Several drains
 * (web processes, workers) may share one database: a shop is applied by one at a time (its
 * lock, store.ts), in the order its rows were stored.
 */
export function startEventDrain(runtime: Runtime): EventDrain {
  const logger = runtime.logger.child({ component: "event-inbox" });
  let stopped = false;
  let nudged = false;
  let wake: (() => void) | null = null;
  let applied = 0;
  let lastArrival = 0;
  const owner = randomUUID().slice(0, 8);
  const loop = (async () => {
    while (!stopped) {
      let took = 0;
      const started = performance.now();
      try {
        for (const shop of await waitingShops(runtime.database.db, SHOPS_PER_ROUND)) {
          let n = BATCH;
          while (!stopped && n === BATCH && performance.now() - started < ROUND_BUDGET_MS) {
            n = await applyShop(runtime, shop);
            took += n;
            applied += n;
          }
        }
      } catch (error) {
        logger.error({ err: error, owner }, "event inbox: drain round failed");
      }
      if (stopped) break;
      if (took > 0 && performance.now() - lastArrival < BURST_QUIET_MS) {
        const took = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(BURST_ROUND_MS - took, took), MAX_PAUSE_MS)));
      }
      if (took > 0 || nudged) {
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
  const drain: EventDrain = {
    nudge() {
      nudged = true;
      lastArrival = performance.now();
      wake?.();
    },
    get applied() {
      return applied;
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      drains.delete(runtime.database);
    },
  };
  drains.set(runtime.database, drain);
  return drain;
}

/**
 * One transaction: lock the shop, take its oldest rows, apply them through ingest's own path
 * (applyEvents: stitch, store, derive, campaign hook), commit. Returns the rows taken. A
 * failing batch is split in two and each half tried on its own, down to the one bad row,
 * which is put back for a later attempt: one bad event never holds the shop's others back.
 */
async function applyShop(runtime: Runtime, shop: string, ids?: readonly number[]): Promise<number> {
  const taken: { id: number; attempts: number }[] = [];
  // Read before the transaction: on PGlite (one connection) a read beside it would wait for it forever.
  const row = await findShop(runtime.database.db, shop);
  try {
    return await retryConflicts(() =>
      runtime.database.db.transaction(async (transaction) => {
        const tx = transaction as unknown as Db;
        taken.length = 0;
        if (!(await tryLockShop(tx, shop))) return 0;
        const rows = await takeRows(tx, shop, BATCH, ids);
        taken.push(...rows);
        if (rows.length === 0) return 0;
        // Uninstalled or tracking turned off since they were acknowledged: nothing of them is kept.
        if (!row?.cartTrackingEnabled) return rows.length;
        // One event resent while its first copy still waited: applied once.
        const events = [...new Map(rows.map((r) => [r.event.id, r.event])).values()];
        await applyEvents(tx, shop, events, runtime.ingest.options);
        return rows.length;
      }),
    );
  } catch (error) {
    if (taken.length > 1) {
      const half = Math.ceil(taken.length / 2);
      const idsOf = (part: typeof taken) => part.map((r) => r.id);
      return (await applyShop(runtime, shop, idsOf(taken.slice(0, half)))) + (await applyShop(runtime, shop, idsOf(taken.slice(half))));
    }
    runtime.logger.error({ err: error, shop, rows: taken.length }, "event inbox: apply failed; kept for a retry");
    const retryMs = Math.min(RETRY_MAX_MS, RETRY_STEP_MS * (1 + (taken[0]?.attempts ?? 0)));
    await markFailed(runtime.database.db, shop, taken.map((r) => r.id), retryMs, error instanceof Error ? error.message : String(error));
    return 0;
  }
}
