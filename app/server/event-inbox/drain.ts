import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { inboxRetryMs } from "@cartback/core/inbox/retry";
import { type Database, type Db, retryConflicts } from "@cartback/db";
import { applyEvents } from "../ingest/apply.ts";
import type { Runtime } from "../runtime.ts";
import { findShop } from "../shops/lookup.ts";
import { markFailed, takeRows, tryLockShop, waitingShops } from "./store.ts";

/**
 * Events per transaction once a burst is over. An apply costs a fixed 7-9 round trips whatever
 * its size, so a backlog is cheapest in large batches (a burst's single-event requests cost
 * that each).
 */
const BATCH = 500;
/**
 * Events per transaction while a burst is on. Stitching and deriving a batch holds the event
 * loop and answers wait meanwhile: a 500-event batch of new shoppers held it for 100+ ms on the
 * loaded bench machine (event-loop delay p99 in bench/results/ingest.md). Smaller transactions
 * give the loop back more often; derivation also yields every 10 ms (ingest/slicer.ts).
 */
const BURST_BATCH = 100;
/** A round goes on with a shop's next batch until this long has passed. */
const ROUND_BUDGET_MS = 1_000;
/** Shops looked at per round; each is applied in its own transactions. */
const SHOPS_PER_ROUND = 16;
/**
 * Shops applied side by side on PostgreSQL. One shop's transaction is about half stitching in
 * this process and half waiting on statements (bench/ingest-quick.ts BENCH_QUICK_DRAIN=1), so
 * while one waits another computes. A shop is still applied by one transaction at a time, in
 * the order its rows were stored (its lock, store.ts). PGlite has a single connection: one.
 */
const POSTGRES_LANES = 2;
const IDLE_POLL_MS = 1_000;
/**
 * While events keep arriving, the drain's CPU is budgeted: after each transaction it pauses
 * PAUSE_FACTOR times the event-loop time the transaction was busy (eventLoopUtilization, which
 * also counts answers served meanwhile, so a busier process backs off more), i.e. at most a
 * third of the loop goes to applying and answers stay fast on a saturated machine. A round that
 * emptied the backlog waits out BURST_ROUND_MS, so the next one applies a second's arrivals in
 * a few transactions rather than one per few events (a drain that kept up in tiny rounds paid
 * a transaction per few events: 0.18 of the write ceiling at 16 connections). Once the burst
 * is over the backlog is applied at full speed. bench:ingest reports both rates.
 */
const BURST_QUIET_MS = 250;
const BURST_ROUND_MS = 1_000;
const PAUSE_FACTOR = 2;
const MAX_PAUSE_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface EventDrain {
  /** Rows were stored (a burst is on): look now rather than at the next poll. */
  nudge(): void;
  /** Events applied since start (the bench reports the drain's rate). */
  readonly applied: number;
  /** Transactions run and the event-loop time they were busy (ms; the probe reports them). */
  readonly busy: { transactions: number; activeMs: number; maxActiveMs: number };
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
  let lastArrival = 0;
  const owner = randomUUID().slice(0, 8);
  const counters: DrainCounters = { applied: 0, busy: { transactions: 0, activeMs: 0, maxActiveMs: 0 } };
  const inBurst = () => performance.now() - lastArrival < BURST_QUIET_MS;
  const lanes = runtime.database.kind === "postgres" ? POSTGRES_LANES : 1;
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      const { took, emptied, error } = await drainRound(runtime, lanes, counters, { stopped: () => stopped, inBurst });
      if (error) logger.error({ err: error, owner }, "event inbox: drain round failed");
      if (stopped) break;
      if (took > 0 && emptied && inBurst()) await sleep(Math.max(0, BURST_ROUND_MS - (performance.now() - started)));
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
      return counters.applied;
    },
    get busy() {
      return { ...counters.busy };
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

interface DrainCounters {
  applied: number;
  busy: { transactions: number; activeMs: number; maxActiveMs: number };
}

/**
 * One round: the shops with waiting rows (up to SHOPS_PER_ROUND), `lanes` at a time, each until
 * it has none left or the round's budget is spent. Never throws: a failed round reports its error.
 */
async function drainRound(
  runtime: Runtime,
  lanes: number,
  counters: DrainCounters,
  drain: { stopped: () => boolean; inBurst: () => boolean },
): Promise<{ took: number; emptied: boolean; error?: unknown }> {
  let took = 0;
  let emptied = true;
  const started = performance.now();
  const drainShop = async (shop: string) => {
    for (;;) {
      const size = drain.inBurst() ? BURST_BATCH : BATCH;
      const before = performance.eventLoopUtilization();
      const n = await applyShop(runtime, shop, size);
      // The loop's busy time over the transaction, the other lane's work included: a burst's pause counts both.
      const active = performance.eventLoopUtilization(before).active;
      counters.busy.transactions++;
      counters.busy.activeMs += active;
      counters.busy.maxActiveMs = Math.max(counters.busy.maxActiveMs, active);
      counters.applied += n;
      took += n;
      if (drain.inBurst()) await sleep(Math.min(active * PAUSE_FACTOR, MAX_PAUSE_MS));
      if (drain.stopped() || n < size) return;
      if (performance.now() - started >= ROUND_BUDGET_MS) {
        emptied = false;
        return;
      }
    }
  };
  try {
    const queue = await waitingShops(runtime.database.db, SHOPS_PER_ROUND);
    const lane = async () => {
      for (let shop = queue.shift(); shop !== undefined && !drain.stopped(); shop = queue.shift()) await drainShop(shop);
    };
    // Settled, not raced: a round ends only when every lane has, so no shop is applied by two rounds at once.
    const failed = (await Promise.allSettled(Array.from({ length: Math.min(lanes, queue.length) }, lane))).find((r) => r.status === "rejected");
    return { took, emptied, ...(failed ? { error: failed.reason } : {}) };
  } catch (error) {
    return { took, emptied, error };
  }
}

/**
 * One transaction: lock the shop, take its oldest rows, apply them through ingest's own path
 * (applyEvents: stitch, store, derive, campaign hook), commit. Returns the rows taken. A
 * failing batch is split in two and each half tried on its own, down to the one bad row,
 * which is put back for a later attempt: one bad event never holds the shop's others back.
 */
async function applyShop(runtime: Runtime, shop: string, limit: number, ids?: readonly number[]): Promise<number> {
  const taken: { id: number; attempts: number }[] = [];
  // Read before the transaction: on PGlite (one connection) a read beside it would wait for it forever.
  const row = await findShop(runtime.database.db, shop);
  try {
    return await retryConflicts(() =>
      runtime.database.db.transaction(async (transaction) => {
        const tx = transaction as unknown as Db;
        taken.length = 0;
        if (!(await tryLockShop(tx, shop))) return 0;
        const rows = await takeRows(tx, shop, limit, ids);
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
      return (await applyShop(runtime, shop, limit, idsOf(taken.slice(0, half)))) + (await applyShop(runtime, shop, limit, idsOf(taken.slice(half))));
    }
    runtime.logger.error({ err: error, shop, rows: taken.length }, "event inbox: apply failed; kept for a retry");
    const retryMs = inboxRetryMs(1 + (taken[0]?.attempts ?? 0));
    await markFailed(runtime.database.db, shop, taken.map((r) => r.id), retryMs, error instanceof Error ? error.message : String(error));
    return 0;
  }
}
