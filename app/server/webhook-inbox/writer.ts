import type { Db } from "@cartback/db";
import { type NewDelivery, storeDeliveries } from "./store.ts";

/** Statements in flight; deliveries arriving meanwhile wait and go together in the next one. */
const IN_FLIGHT = 2;
const MAX_ROWS = 500;

interface Waiting {
  delivery: NewDelivery;
  resolve: (id: number | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for the inbox: at hundreds of webhooks a second an INSERT each takes a pooled
 * connection and a commit each, and answers queue for connections the ingest transactions
 * hold. Here a lone delivery is stored at once; those arriving while statements are in
 * flight share the next one. Each caller resolves after its row is committed.
 */
export class InboxWriter {
  private waiting: Waiting[] = [];
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  store(delivery: NewDelivery): Promise<number | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ delivery, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_ROWS);
      this.inFlight++;
      storeDeliveries(this.db, batch.map((w) => w.delivery))
        .then(
          (ids) => {
            for (const [i, w] of batch.entries()) w.resolve(ids[i] ?? null);
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

const writers = new WeakMap<Db, InboxWriter>();

export function inboxWriterOf(db: Db): InboxWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new InboxWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
