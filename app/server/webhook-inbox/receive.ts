import type { Runtime } from "../runtime.ts";
import { type Applied, applyRow } from "./apply.ts";
import { inboxDrainOf } from "./drain.ts";
import { releaseRows } from "./store.ts";
import { Sweeper } from "./sweeper.ts";
import { inboxWriterOf } from "./writer.ts";

/**
 * Below this many deliveries a second (this process), each is applied before its answer, as
 * before the inbox: the answer says what it did, and whatever comes next (the shopper's next
 * webhook, a send's purchase check) sees it applied. Above it, in a burst, answers stop
 * waiting for ingest: the delivery is stored and left to the drain, which applies the backlog
 * in batches (issue 18: a 200/s burst applied inline took seconds per answer on a loaded
 * machine). Only with a drain in this process; one without (CARTBACK_WORKER=off) applies inline.
 */
const burstPerSecond = () => Number(process.env.CARTBACK_WEBHOOK_BURST ?? 100);
/** Applies in flight in this process; past it the drain takes the rest (a backlog waits in the database, not in memory). */
const MAX_INLINE = 64;
/** An answer never waits longer (Shopify gives up at 5 s); the apply goes on after it. */
const WAIT_MS = 4_000;
/** A row this process is applying is the drain's only after this (a crash in between). */
const HOLD_MS = 60_000;
/** A failed apply is the drain's after this. */
const RETRY_AFTER_FAILURE_MS = 5_000;

export interface Delivery {
  shop: string;
  webhookId: string;
  topic: string;
  raw: string;
  /** The route's translation of the body (applied as is, not translated again). */
  events: readonly unknown[];
}

export type Received = { type: "duplicate" } | { type: "queued" } | Applied;

interface State {
  /** Applies in flight. */
  count: number;
  /** Arrivals in the current second and the one before (burst detection). */
  second: number;
  thisSecond: number;
  lastSecond: number;
}

const applying = new WeakMap<Runtime, State>();

/** Deliveries a second arriving here: the larger of the last whole second and this one so far. */
function arrivalRate(state: State, now: number): number {
  const second = Math.floor(now / 1000);
  if (second !== state.second) {
    state.lastSecond = second === state.second + 1 ? state.thisSecond : 0;
    state.thisSecond = 0;
    state.second = second;
  }
  state.thisSecond++;
  return Math.max(state.lastSecond, state.thisSecond);
}
const ownSweepers = new WeakMap<Runtime, Sweeper>();

function sweeperOf(runtime: Runtime): Sweeper {
  const drain = inboxDrainOf(runtime);
  if (drain) return drain.sweeper;
  let own = ownSweepers.get(runtime);
  if (!own) {
    own = new Sweeper(runtime.database.db, runtime.logger);
    ownSweepers.set(runtime, own);
  }
  return own;
}

/**
 * Stores a verified delivery (its acknowledgement is durable from here on), then applies it
 * within the wait above or leaves it applying, or to the drain. Shopify may be answered 200
 * for every outcome but "applied with a refusal".
 */
export async function receiveDelivery(runtime: Runtime, delivery: Delivery): Promise<Received> {
  const state = applying.get(runtime) ?? { count: 0, second: 0, thisSecond: 0, lastSecond: 0 };
  applying.set(runtime, state);
  const drain = inboxDrainOf(runtime);
  drain?.arrived();
  const burst = drain !== undefined && arrivalRate(state, Date.now()) > burstPerSecond();
  // The slot is taken before the INSERT's await: deliveries arriving together see each other.
  const inline = !burst && state.count < MAX_INLINE;
  if (inline) state.count++;
  const receivedAt = new Date();
  let id: number | null;
  try {
    id = await inboxWriterOf(runtime.database.db).store({ shop: delivery.shop, webhookId: delivery.webhookId, topic: delivery.topic, body: delivery.raw, receivedAt, holdMs: inline ? HOLD_MS : 0 });
  } catch (error) {
    if (inline) state.count--;
    throw error;
  }
  if (id === null || !inline) {
    if (inline) state.count--;
    else drain?.nudge();
    return id === null ? { type: "duplicate" } : { type: "queued" };
  }
  const applied = applyRow(runtime, { ...delivery, body: delivery.raw, receivedAt }, delivery.events).then(
    (result) => {
      sweeperOf(runtime).remove(id);
      return result;
    },
    async (error: unknown) => {
      runtime.logger.error({ err: error, shop: delivery.shop, topic: delivery.topic }, "webhook apply failed; the inbox keeps it for a retry");
      await releaseRows(runtime.database.db, [id], RETRY_AFTER_FAILURE_MS, "apply failed (see the logs)").catch(() => {});
      return { type: "queued" } as const;
    },
  );
  void applied.finally(() => state.count--);
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<{ type: "queued" }>((resolve) => {
    timer = setTimeout(() => resolve({ type: "queued" }), WAIT_MS);
  });
  const result = await Promise.race([applied, waited]);
  clearTimeout(timer);
  return result;
}
