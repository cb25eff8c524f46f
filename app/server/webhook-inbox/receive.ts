import type { Runtime } from "../runtime.ts";
import { type Applied, applyRow } from "./apply.ts";
import { inboxDrainOf } from "./drain.ts";
import { releaseRows } from "./store.ts";
import { Sweeper } from "./sweeper.ts";
import { inboxWriterOf } from "./writer.ts";

/**
 * Deliveries this process applies itself right after storing them. Past it, new ones are left
 * to the drain at once: a burst then waits in the database, not in memory or in the event
 * loop ahead of other answers, and the drain applies it in batches (issue 18: with every
 * delivery of a 200/s burst applied inline, answers took seconds on a loaded machine). With no
 * drain in this process (CARTBACK_WORKER=off) more are applied inline.
 */
const INLINE_WITH_DRAIN = Number(process.env.CARTBACK_WEBHOOK_INLINE ?? 1);
const INLINE_WITHOUT_DRAIN = 64;
/**
 * How long an answer waits for its delivery to be applied. A lone delivery (tests, a quiet
 * shop) is answered once applied, with what it did; among others (a burst) the answer only
 * waits a little, so Shopify's 5 s timeout and retries never depend on ingest's speed.
 */
const WAIT_ALONE_MS = 2_000;
const WAIT_AMONG_OTHERS_MS = 50;
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

const applying = new WeakMap<Runtime, { count: number }>();
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
  const state = applying.get(runtime) ?? { count: 0 };
  applying.set(runtime, state);
  const drain = inboxDrainOf(runtime);
  drain?.arrived();
  // The slot is taken before the INSERT's await: deliveries arriving together see each other.
  const inline = state.count < (drain ? INLINE_WITH_DRAIN : INLINE_WITHOUT_DRAIN);
  const alone = state.count === 0;
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
    timer = setTimeout(() => resolve({ type: "queued" }), alone ? WAIT_ALONE_MS : WAIT_AMONG_OTHERS_MS);
  });
  const result = await Promise.race([applied, waited]);
  clearTimeout(timer);
  return result;
}
