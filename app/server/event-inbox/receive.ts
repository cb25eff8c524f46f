import type { CartEvent } from "@cartback/core/events/event";
import type { Database } from "@cartback/db";
import { eventDrainOf } from "./drain.ts";
import { eventWriterOf } from "./writer.ts";

/**
 * Requests a second (this process) above which validated events are stored in the inbox and
 * answered `queued` instead of applied before the answer. Below it each request is applied
 * inline, as before the inbox: its answer says accepted or duplicate, and the shopper's next
 * request sees it applied. In a burst an inline apply costs a transaction of 7-9 round trips
 * per few requests (bench/results/ingest.md); one INSERT for many requests' events answers
 * them and the drain applies the backlog in transactions of thousands of events.
 */
const burstPerSecond = () => Number(process.env.CARTBACK_EVENT_BURST ?? 50);

interface Rate {
  second: number;
  thisSecond: number;
  lastSecond: number;
}

const rates = new WeakMap<Database, Rate>();

/** Arrivals a second: the larger of the last whole second and this one so far. */
function arrivalRate(rate: Rate, now: number): number {
  const second = Math.floor(now / 1000);
  if (second !== rate.second) {
    rate.lastSecond = second === rate.second + 1 ? rate.thisSecond : 0;
    rate.thisSecond = 0;
    rate.second = second;
  }
  rate.thisSecond++;
  return Math.max(rate.lastSecond, rate.thisSecond);
}

/**
 * In a burst, and only with a drain in this process (one without, CARTBACK_WORKER=off, may
 * have no drain anywhere): stores the events durably and resolves `true` once committed.
 * Otherwise `false`: the caller applies them itself.
 */
export async function queueInBurst(database: Database, shop: string, events: readonly CartEvent[]): Promise<boolean> {
  const drain = eventDrainOf(database);
  if (!drain) return false;
  let rate = rates.get(database);
  if (!rate) {
    rate = { second: 0, thisSecond: 0, lastSecond: 0 };
    rates.set(database, rate);
  }
  if (arrivalRate(rate, Date.now()) <= burstPerSecond()) return false;
  await eventWriterOf(database.db).store(events.map((event) => ({ shop, event })));
  drain.nudge();
  return true;
}
