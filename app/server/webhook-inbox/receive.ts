import type { CartEvent } from "@cartback/core/events/event";
import { parseEvent } from "@cartback/core/events/parse";
import { purchaseKeys } from "@cartback/core/identity/stitch";
import { drainsRunning } from "../drain-presence.ts";
import type { Runtime } from "../runtime.ts";
import { type Applied, applyRow } from "./apply.ts";
import { ArrivalRate } from "./arrival-rate.ts";
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
 * machine). A burst is seen within its first 100 ms (ArrivalRate), and answers still waiting
 * on their applies then go at once. Only with a drain running: this process's, or another's
 * (drain-presence.ts; a web process with CARTBACK_WORKER=off and no worker anywhere applies inline).
 */
const burstPerSecond = () => Number(process.env.CARTBACK_WEBHOOK_BURST ?? 100);
/** Applies in flight in this process; past it the drain takes the rest (a backlog waits in the database, not in memory). */
const MAX_INLINE = 64;
/** An answer never waits longer (Shopify gives up at 5 s); the apply goes on after it. */
const WAIT_MS = 4_000;
/**
 * After a burst's last delivery, answers stop waiting for applies this long: ingest is then
 * busiest (the drain applies the backlog), and a calm delivery's answer waiting on it took
 * seconds in bench:webhooks' ramp-up.
 */
const AFTER_BURST_MS = 1_000;
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
  rate: ArrivalRate;
  /** When the last delivery counted as a burst arrived (ms). */
  burstAt: number;
  /** Answers waiting for their inline apply: a burst answers them at once. */
  waiting: Set<() => void>;
}

const applying = new WeakMap<Runtime, State>();

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
 * The buyer keys of a delivery that carries a purchase (orders/*), normalized as ingest will
 * store them: the wire events are parsed here only when one is a Charged (a few a second).
 */
export function buyerKeys(delivery: Delivery, receivedAt: Date): string[] | null {
  const charged = delivery.events.filter((e) => (e as { name?: unknown }).name === "Charged");
  if (charged.length === 0) return null;
  const parsed: CartEvent[] = [];
  for (const input of charged) {
    const result = parseEvent(input, { shop: delivery.shop, receivedAt, source: "webhook" });
    if (result.type === "ok") parsed.push(result.event);
  }
  return purchaseKeys(parsed);
}

/**
 * Stores a verified delivery (its acknowledgement is durable from here on), then applies it
 * within the wait above or leaves it applying, or to the drain. Shopify may be answered 200
 * for every outcome but "applied with a refusal".
 */
export async function receiveDelivery(runtime: Runtime, delivery: Delivery): Promise<Received> {
  const state = applying.get(runtime) ?? { count: 0, rate: new ArrivalRate(), burstAt: Number.NEGATIVE_INFINITY, waiting: new Set() };
  applying.set(runtime, state);
  const drain = inboxDrainOf(runtime);
  drain?.arrived();
  const now = performance.now();
  const burst = (drain !== undefined || drainsRunning(runtime.database)) && state.rate.arrive(now) > burstPerSecond();
  if (burst) {
    // Answers already waiting on their applies go now: the applies go on, in this process.
    state.burstAt = now;
    for (const answer of state.waiting) answer();
  }
  // The slot is taken before the INSERT's await: deliveries arriving together see each other.
  const inline = !burst && state.count < MAX_INLINE;
  if (inline) state.count++;
  const receivedAt = new Date();
  let id: number | null;
  try {
    id = await inboxWriterOf(runtime.database).store({ shop: delivery.shop, webhookId: delivery.webhookId, topic: delivery.topic, body: delivery.raw, receivedAt, holdMs: inline ? HOLD_MS : 0, purchaseKeys: buyerKeys(delivery, receivedAt) });
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
  if (performance.now() - state.burstAt < AFTER_BURST_MS) return { type: "queued" };
  let answer = () => {};
  let timer: NodeJS.Timeout | undefined;
  const cut = new Promise<{ type: "queued" }>((resolve) => {
    answer = () => resolve({ type: "queued" });
    timer = setTimeout(answer, WAIT_MS);
  });
  state.waiting.add(answer);
  const result = await Promise.race([applied, cut]);
  state.waiting.delete(answer);
  clearTimeout(timer);
  return result;
}
