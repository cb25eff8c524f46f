import type { CartEvent } from "@cartback/core/events/event";
import type { Database, Db } from "@cartback/db";
import type { Logger } from "../logger.ts";
import { type ApplyOptions, applyEvents } from "./apply.ts";

/**
 * Group commit: requests for one shop that arrive while its transactions are running wait
 * and are applied together in the next one. Each caller's promise resolves after the
 * commit, so an accepted event is durable before its response is sent.
 *
 * Two transactions per shop run at once: the second waits on the shop's ingest lock while
 * the first commits, so it starts the moment the lock is released instead of after the
 * commit's reply, its own BEGIN and its lock request have crossed the event loop. The lock
 * keeps them serial in the database, exactly as for two server processes.
 */
interface Pending {
  events: CartEvent[];
  resolve: (status: Map<string, "accepted" | "duplicate">) => void;
  reject: (error: unknown) => void;
}

const MAX_EVENTS_PER_COMMIT = 2_000;
const TRANSACTIONS_PER_SHOP = 2;

export class IngestQueue {
  private readonly pending = new Map<string, Pending[]>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: ApplyOptions,
  ) {}

  submit(shop: string, events: CartEvent[]): Promise<Map<string, "accepted" | "duplicate">> {
    return new Promise((resolve, reject) => {
      const list = this.pending.get(shop) ?? [];
      list.push({ events, resolve, reject });
      this.pending.set(shop, list);
      if ((this.running.get(shop) ?? 0) < TRANSACTIONS_PER_SHOP) void this.drain(shop);
    });
  }

  private async drain(shop: string): Promise<void> {
    this.running.set(shop, (this.running.get(shop) ?? 0) + 1);
    try {
      for (let list = this.pending.get(shop); list && list.length > 0; list = this.pending.get(shop)) {
        const take: Pending[] = [];
        let size = 0;
        while (list.length > 0 && (take.length === 0 || size + list[0]!.events.length <= MAX_EVENTS_PER_COMMIT)) {
          const next = list.shift()!;
          size += next.events.length;
          take.push(next);
        }
        await this.commit(shop, take);
      }
    } finally {
      const left = (this.running.get(shop) ?? 1) - 1;
      if (left > 0) this.running.set(shop, left);
      else {
        this.running.delete(shop);
        this.pending.delete(shop);
      }
    }
  }

  private async commit(shop: string, take: Pending[]): Promise<void> {
    try {
      const status = await this.database.db.transaction((tx) =>
        applyEvents(tx as unknown as Db, shop, take.flatMap((p) => p.events), this.options).then((o) => o.status),
      );
      // Two grouped requests carrying one event id: the first is accepted, the second is a duplicate.
      const claimed = new Set<string>();
      for (const p of take) {
        const own = new Map<string, "accepted" | "duplicate">();
        for (const e of p.events) {
          own.set(e.id, status.get(e.id) === "accepted" && !claimed.has(e.id) ? "accepted" : "duplicate");
          claimed.add(e.id);
        }
        p.resolve(own);
      }
    } catch (error) {
      // One bad request must not fail the others it was grouped with: retry them alone.
      if (take.length > 1) {
        for (const p of take) await this.commit(shop, [p]);
        return;
      }
      this.logger.error({ err: error, shop }, "ingest transaction failed");
      for (const p of take) p.reject(error);
    }
  }
}
