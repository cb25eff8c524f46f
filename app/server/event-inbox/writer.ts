import type { Database, Db } from "@cartback/db";
import { storeEvents, type WaitingEvent } from "./store.ts";

/** Statements in flight; requests arriving meanwhile wait and go together in the next one. */
const IN_FLIGHT = 2;
/** Rows per statement (5 parameters each, under PostgreSQL's 65,535). */
const MAX_ROWS = 5_000;

interface Waiting {
  rows: readonly WaitingEvent[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the event inbox: a request's events are durable once the INSERT holding
 * them commits, and every request that arrived while the previous statements were in flight
 * shares the next one, so a burst of a thousand browsers costs a few commits, not a thousand.
 */
export class EventWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  store(rows: readonly WaitingEvent[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ rows, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.waiting.length > 0) {
      const batch: Waiting[] = [];
      let size = 0;
      while (this.waiting.length > 0 && (batch.length === 0 || size + this.waiting[0]!.rows.length <= MAX_ROWS)) {
        const next = this.waiting.shift()!;
        size += next.rows.length;
        batch.push(next);
      }
      this.inFlight++;
      storeEvents(this.db, batch.flatMap((w) => w.rows))
        .then(
          () => {
            for (const w of batch) w.resolve();
          },
          (error: unknown) => {
            for (const w of batch) w.reject(error);
          },
        )
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
  }
}

const writers = new WeakMap<Database, EventWriter>();

/** On connections of its own: an answer waits on this INSERT, never on the pool ingest transactions hold. */
export function eventWriterOf(database: Database): EventWriter {
  let writer = writers.get(database);
  if (!writer) {
    writer = new EventWriter(database.dedicated(IN_FLIGHT));
    writers.set(database, writer);
  }
  return writer;
}
