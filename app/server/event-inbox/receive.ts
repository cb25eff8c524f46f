import type { CartEvent } from "@cartback/core/events/event";
import type { Database } from "@cartback/db";
import { drainsRunning } from "../drain-presence.ts";
import { eventDrainOf } from "./drain.ts";
import { eventWriterOf } from "./writer.ts";

/**
 * Requests or events a second (this process) above which validated events are stored in the
 * inbox and answered `queued` instead of applied before the answer. Below it each request is applied
 * inline, as before the inbox: its answer says accepted or duplicate, and the shopper's next
 * request sees it applied. In a burst an inline apply costs a transaction of 7-9 round trips
 * per few requests (bench/results/ingest.md); one INSERT for many requests' events answers
 * them and the drain applies the backlog in transactions of thousands of events.
 */
const burstPerSecond = () => Number(process.env.CARTBACK_EVENT_BURST ?? 50);
const burstEventsPerSecond = () => 10 * burstPerSecond();

interface Counter {
  second: number;
  thisSecond: number;
  lastSecond: number;
}

interface Rate {
  requests: Counter;
  events: Counter;
}

const rates = new WeakMap<Database, Rate>();

/** Arrivals a second: the larger of the last whole second and this one so far. */
function arrivalRate(counter: Counter, now: number, n: number): number {
  const second = Math.floor(now / 1000);
  if (second !== counter.second) {
    counter.lastSecond = second === counter.second + 1 ? counter.thisSecond : 0;
    counter.thisSecond = 0;
    counter.second = second;
  }
  counter.thisSecond += n;
  return Math.max(counter.lastSecond, counter.thisSecond);
}

/**
 * In a burst, and only with a drain running (this process's, or another's: drain-presence.ts;
 * with none anywhere queued events would wait for good): stores the events durably and resolves
 * `true` once committed. Otherwise `false`: the caller applies them itself.
 */
export async function queueInBurst(database: Database, shop: string, events: readonly CartEvent[]): Promise<boolean> {
  const drain = eventDrainOf(database);
  if (!drain && !drainsRunning(database)) return false;
  let rate = rates.get(database);
  if (!rate) {
    rate = { requests: { second: 0, thisSecond: 0, lastSecond: 0 }, events: { second: 0, thisSecond: 0, lastSecond: 0 } };
    rates.set(database, rate);
  }
  const now = Date.now();
  const requests = arrivalRate(rate.requests, now, 1);
  const eventCount = arrivalRate(rate.events, now, events.length);
  if (requests <= burstPerSecond() && eventCount <= burstEventsPerSecond()) return false;
  await eventWriterOf(database).store(events.map((event) => ({ shop, event })));
  // Another process's drain finds them at its next poll (a second at most when idle).
  drain?.nudge();
  return true;
}
