import type { CartEvent } from "@cartback/core/events/event";
import { type Database, type Db, retryConflicts } from "@cartback/db";
import { identityKeys, keyOf } from "@cartback/core/identity/stitch";
import type { Logger } from "../logger.ts";
import { claimWebhookDeliveries } from "../shopify/webhooks.ts";
import { type ApplyOptions, applyEvents } from "./apply.ts";

/**
 * Group commit per shop lane: requests that arrive while their lane's transaction or every
 * transaction slot is busy wait, and a lane's waiting requests are applied together in its
 * next transaction. Each caller's promise resolves after the commit, so an accepted event is
 * durable before its response.
 *
 * Transactions run side by side, of one shop or several: they lock only the identifiers and
 * profiles they touch (owners.ts), so two of them wait for each other only when they share
 * a shopper (one browser always lands in one lane; a shopper seen by two sources may not). Shops do not share transactions: one transaction for several shops made every
 * shop wait for the slowest (head-of-line blocking, p99 ~250 ms with 8 shops). The cap on
 * transactions in flight keeps a burst from taking every pooled connection (2 cores: more
 * would only queue in PostgreSQL); shops waiting for a slot are served in turn.
 */
export type SubmitStatus = Map<string, "accepted" | "duplicate">;

/**
 * A Shopify webhook delivery, claimed in the applying transaction before the events: one
 * already processed leaves its submission out. A failed transaction releases what it claimed.
 * A group's deliveries are claimed in one statement (a claim per webhook was a round trip
 * each, ~30 per group under load: webhooks answered in seconds, issue 18).
 */
export interface Claim {
  webhookId: string;
  topic: string;
}

interface Pending {
  events: CartEvent[];
  /** Distinct identifier keys of its events: what its transaction locks (owners.ts). */
  keys: number;
  claim?: Claim;
  resolve: (status: SubmitStatus | "already_processed") => void;
  reject: (error: unknown) => void;
}

const MAX_EVENTS_PER_COMMIT = 2_000;
/**
 * Requests are grouped up to this many identifier keys: past owners.ts's MAX_KEY_LOCKS (128)
 * a transaction locks its whole shop exclusively, which stops every other lane of the shop.
 * 256 browsers' single events grouped into one transaction did exactly that (issue 18).
 */
const MAX_KEYS_PER_COMMIT = 120;
/**
 * Transactions in flight. Each one spends most of its time on round trips (8-10 statements)
 * while the event loop serves other requests, so several overlap; the pool (10) keeps a few
 * connections for shop and key lookups and the admin.
 */
const TRANSACTIONS_IN_FLIGHT = 6;
/**
 * A shop's requests go to one of this many lanes by their first identifier; a lane has at
 * most one transaction in flight. A returning browser's next event therefore waits here, in
 * memory, instead of inside PostgreSQL on its previous transaction's identifier locks while
 * holding the locks of every other browser grouped with it (a lock convoy, issue 18). Few
 * lanes, so that groups stay large: a transaction costs 7-9 round trips whatever its size,
 * and under CPU contention each round trip costs tens of milliseconds (bench/results/ingest.md).
 */
const LANES_PER_SHOP = 4;
/**
 * CARTBACK_INGEST_LANES=off restores the queue before lanes (one list per shop, 4 transactions
 * of a shop at once, groups up to 2,000 events): bench:ingest's before/after runs use it.
 */
const legacy = () => process.env.CARTBACK_INGEST_LANES === "off";

export class IngestQueue {
  /** Lanes (`shop\nlane`) with waiting requests, in the order they are to be served. */
  private readonly pending = new Map<string, Pending[]>();
  /** Lanes with a transaction in flight. */
  private readonly busy = new Set<string>();
  private inFlight = 0;
  private readonly legacy = legacy();
  private readonly maxInFlight = this.legacy ? 4 : TRANSACTIONS_IN_FLIGHT;
  private readonly maxKeys = this.legacy ? Number.POSITIVE_INFINITY : MAX_KEYS_PER_COMMIT;

  constructor(
    private readonly database: Database,
    private readonly logger: Logger,
    private readonly options: ApplyOptions,
  ) {}

  submit(shop: string, events: CartEvent[], claim?: Claim): Promise<SubmitStatus | "already_processed"> {
    return new Promise((resolve, reject) => {
      const keys = new Set(events.flatMap((e) => identityKeys(e.identifiers).map(keyOf)));
      const entry: Pending = { events, keys: keys.size, claim, resolve, reject };
      const lane = `${shop}\n${this.legacy ? 0 : laneOf(events)}`;
      const list = this.pending.get(lane);
      if (list) list.push(entry);
      else this.pending.set(lane, [entry]);
      this.pump();
    });
  }

  private pump(): void {
    if (this.inFlight >= this.maxInFlight) return;
    for (const lane of this.pending.keys()) {
      if (this.busy.has(lane) && !this.legacy) continue;
      const take = this.take(lane);
      this.inFlight++;
      this.busy.add(lane);
      void this.commit(lane.slice(0, lane.indexOf("\n")), take).finally(() => {
        this.inFlight--;
        this.busy.delete(lane);
        this.pump();
      });
      if (this.inFlight >= this.maxInFlight) return;
    }
  }

  /** The lane's waiting requests up to the caps; a lane with more goes to the back. */
  private take(lane: string): Pending[] {
    const list = this.pending.get(lane)!;
    this.pending.delete(lane);
    const take: Pending[] = [];
    let size = 0;
    let keys = 0;
    const fits = (next: Pending) => size + next.events.length <= MAX_EVENTS_PER_COMMIT && keys + next.keys <= this.maxKeys;
    while (list.length > 0 && (take.length === 0 || fits(list[0]!))) {
      const next = list.shift()!;
      size += next.events.length;
      keys += next.keys;
      take.push(next);
    }
    if (list.length > 0) this.pending.set(lane, list);
    return take;
  }

  private async commit(shop: string, take: Pending[]): Promise<void> {
    try {
      const skipped = new Set<Pending>();
      // A lost deadlock (another ingest, or a GDPR redaction of the same shopper) did nothing: run it again.
      const status = await retryConflicts(() => this.database.db.transaction(async (transaction) => {
        const tx = transaction as unknown as Db;
        skipped.clear();
        const claims = take.flatMap((p) => (p.claim ? [p.claim] : []));
        const claimed = await claimWebhookDeliveries(tx, shop, claims);
        for (const p of take) {
          if (!p.claim) continue;
          // The first of two grouped deliveries with one id takes the claim.
          if (claimed.has(p.claim.webhookId)) claimed.delete(p.claim.webhookId);
          else skipped.add(p);
        }
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

/** A request's lane: a hash of its first event's first identifier (a browser's client id). */
function laneOf(events: readonly CartEvent[]): number {
  const first = events[0] ? identityKeys(events[0].identifiers)[0] : undefined;
  if (!first) return 0;
  let h = 0;
  for (const ch of first.value) h = (h * 31 + ch.charCodeAt(0)) | 0;
  return Math.abs(h) % LANES_PER_SHOP;
}
