import type { CartEvent } from "@cartback/core/events/event";
import type { Database, Db } from "@cartback/db";
import type { Logger } from "../logger.ts";
import { type ApplyOptions, applyBatches } from "./apply.ts";

/**
 * Group commit: requests that arrive while transactions are running wait and are applied
 * together in the next one, whatever their shops: every shop's ingest lock is taken, all
 * their events are applied in the same few statements, and the transaction commits once. Each
 * caller's promise resolves after the commit, so an accepted event is durable before its
 * response is sent.
 *
 * Two transactions run at once: the second waits on a shop lock while the first commits,
 * so it starts the moment the lock is released instead of after the commit's reply, its
 * own BEGIN and its lock request have crossed the event loop. Shops are locked in name
 * order, so two grouped transactions (from this process or another) cannot deadlock on
 * them; a deadlock the database still reports (two shops' lock keys colliding) fails the
 * group, whose requests are then retried alone.
 */
interface Pending {
  shop: string;
  events: CartEvent[];
  resolve: (status: Map<string, "accepted" | "duplicate">) => void;
  reject: (error: unknown) => void;
}

const MAX_EVENTS_PER_COMMIT = 2_000;
const TRANSACTIONS_IN_FLIGHT = 2;

export class IngestQueue {
  private readonly pending: Pending[] = [];
  private running = 0;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: ApplyOptions,
  ) {}

  submit(shop: string, events: CartEvent[]): Promise<Map<string, "accepted" | "duplicate">> {
    return new Promise((resolve, reject) => {
      this.pending.push({ shop, events, resolve, reject });
      if (this.running < TRANSACTIONS_IN_FLIGHT) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running++;
    try {
      while (this.pending.length > 0) {
        const take: Pending[] = [];
        let size = 0;
        while (this.pending.length > 0 && (take.length === 0 || size + this.pending[0]!.events.length <= MAX_EVENTS_PER_COMMIT)) {
          const next = this.pending.shift()!;
          size += next.events.length;
          take.push(next);
        }
        await this.commit(take);
      }
    } finally {
      this.running--;
    }
  }

  private async commit(take: Pending[]): Promise<void> {
    const shops = [...new Set(take.map((p) => p.shop))].sort();
    try {
      const statuses = await this.database.db.transaction(async (tx) => {
        const batches = new Map(shops.map((shop) => [shop, take.filter((p) => p.shop === shop).flatMap((p) => p.events)]));
        const outcomes = await applyBatches(tx as unknown as Db, batches, this.options);
        return new Map([...outcomes].map(([shop, outcome]) => [shop, outcome.status]));
      });
      // Two grouped requests carrying one event id: the first is accepted, the second is a duplicate.
      const claimed = new Set<string>();
      for (const p of take) {
        const status = statuses.get(p.shop)!;
        const own = new Map<string, "accepted" | "duplicate">();
        for (const e of p.events) {
          const key = `${p.shop}\n${e.id}`;
          own.set(e.id, status.get(e.id) === "accepted" && !claimed.has(key) ? "accepted" : "duplicate");
          claimed.add(key);
        }
        p.resolve(own);
      }
    } catch (error) {
      // One bad request must not fail the others it was grouped with: retry them alone.
      if (take.length > 1) {
        for (const p of take) await this.commit([p]);
        return;
      }
      this.logger.error({ err: error, shop: take[0]?.shop }, "ingest transaction failed");
      for (const p of take) p.reject(error);
    }
  }
}
