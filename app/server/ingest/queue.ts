import type { CartEvent } from "@cartback/core/events/event";
import { type Database, type Db, retryConflicts } from "@cartback/db";
import type { Logger } from "../logger.ts";
import { type ApplyOptions, applyEvents } from "./apply.ts";

/**
 * Group commit per shop: requests that arrive while every transaction slot is busy wait, and
 * a shop's waiting requests are applied together in its next transaction. Each caller's
 * promise resolves after the commit, so an accepted event is durable before its response.
 *
 * Transactions run side by side, of one shop or several: they lock only the identifiers and
 * profiles they touch (owners.ts), so two of them wait for each other only when they share
 * a shopper. Shops do not share transactions: one transaction for several shops made every
 * shop wait for the slowest (head-of-line blocking, p99 ~250 ms with 8 shops). The cap on
 * transactions in flight keeps a burst from taking every pooled connection (2 cores: more
 * would only queue in PostgreSQL); shops waiting for a slot are served in turn.
 */
export type SubmitStatus = Map<string, "accepted" | "duplicate">;

/**
 * Runs in the applying transaction before the events; false leaves the submission out (a
 * webhook delivery already processed). A failed transaction releases what it claimed.
 */
export type Claim = (tx: Db) => Promise<boolean>;

interface Pending {
  events: CartEvent[];
  claim?: Claim;
  resolve: (status: SubmitStatus | "already_processed") => void;
  reject: (error: unknown) => void;
}

const MAX_EVENTS_PER_COMMIT = 2_000;
const TRANSACTIONS_IN_FLIGHT = 4;

export class IngestQueue {
  /** Shops with waiting requests, in the order they are to be served. */
  private readonly pending = new Map<string, Pending[]>();
  private inFlight = 0;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: ApplyOptions,
  ) {}

  submit(shop: string, events: CartEvent[], claim?: Claim): Promise<SubmitStatus | "already_processed"> {
    return new Promise((resolve, reject) => {
      const entry: Pending = { events, claim, resolve, reject };
      const list = this.pending.get(shop);
      if (list) list.push(entry);
      else this.pending.set(shop, [entry]);
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < TRANSACTIONS_IN_FLIGHT && this.pending.size > 0) {
      const shop = this.pending.keys().next().value as string;
      const take = this.take(shop);
      this.inFlight++;
      void this.commit(shop, take).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  /** Up to MAX_EVENTS_PER_COMMIT of the shop's waiting requests; a shop with more goes to the back. */
  private take(shop: string): Pending[] {
    const list = this.pending.get(shop)!;
    this.pending.delete(shop);
    const take: Pending[] = [];
    let size = 0;
    while (list.length > 0 && (take.length === 0 || size + list[0]!.events.length <= MAX_EVENTS_PER_COMMIT)) {
      const next = list.shift()!;
      size += next.events.length;
      take.push(next);
    }
    if (list.length > 0) this.pending.set(shop, list);
    return take;
  }

  private async commit(shop: string, take: Pending[]): Promise<void> {
    try {
      const skipped = new Set<Pending>();
      // A lost deadlock (another ingest, or a GDPR redaction of the same shopper) did nothing: run it again.
      const status = await retryConflicts(() => this.database.db.transaction(async (transaction) => {
        const tx = transaction as unknown as Db;
        skipped.clear();
        for (const p of take) if (p.claim && !(await p.claim(tx))) skipped.add(p);
        const events = take.filter((p) => !skipped.has(p)).flatMap((p) => p.events);
        return (await applyEvents(tx, shop, events, this.options)).status;
      }));
      // Two grouped requests carrying one event id: the first is accepted, the second is a duplicate.
      const claimed = new Set<string>();
      for (const p of take) {
        if (skipped.has(p)) {
          p.resolve("already_processed");
          continue;
        }
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
