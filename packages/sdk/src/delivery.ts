import { type BackoffOptions, backoffDelay } from "./backoff.ts";
import { KEEPALIVE_LIMIT_BYTES, takeBatch } from "./batch.ts";
import type { PersistentQueue, QueuedEvent } from "./queue.ts";
import { type AttemptOutcome, decideRetry } from "./retry.ts";

export interface DeliveryOptions {
  /** POSTs one batch body. Must resolve (never reject) with what happened. */
  send(body: string): Promise<AttemptOutcome>;
  /** Consent gate: while false, events stay queued. */
  canSend(): boolean;
  isOnline(): boolean;
  now(): number;
  random(): number;
  maxBatchEvents: number;
  /** Per request; kept under the keepalive limit so every request may outlive the page. */
  maxBatchBytes: number;
  /** Caps: an event that failed this many times, or is this old, is dropped as expired. */
  maxAttempts: number;
  maxAgeMs: number;
  /** A server's Retry-After is honoured up to this long. */
  maxRetryAfterMs: number;
  flushDelayMs: number;
  backoff: BackoffOptions;
}

export const DEFAULT_DELIVERY = {
  maxBatchEvents: 50,
  maxBatchBytes: 60_000,
  maxAttempts: 12,
  maxAgeMs: 7 * 24 * 3600_000,
  maxRetryAfterMs: 10 * 60_000,
  flushDelayMs: 300,
  backoff: { baseMs: 1000, maxMs: 60_000, factor: 2 },
};

/** Moves events from the queue to the server: one batch in flight at a time, backoff between failures. */
export class Delivery {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private retryAt = 0;
  private running: Promise<void> | null = null;
  private readonly inFlight = new Set<string>();
  /** Body bytes of keepalive requests not yet answered: Chromium's budget is per page. */
  private inFlightBytes = 0;

  constructor(
    private readonly queue: PersistentQueue,
    private readonly options: DeliveryOptions,
  ) {}

  /** Ask for a flush soon (new event): coalesces bursts into one batch, never jumps a backoff. */
  schedule(delayMs = this.options.flushDelayMs): void {
    const at = Math.max(this.options.now() + delayMs, this.retryAt);
    if (this.timer !== null && this.timerAt <= at) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.timerAt = Number.POSITIVE_INFINITY;
        void this.flush();
      },
      Math.max(0, at - this.options.now()),
    );
  }

  /** The network came back: a wait caused by being offline is over. */
  resume(): void {
    this.retryAt = 0;
    void this.flush();
  }

  /** Send everything that can go now. Resolves when the queue is empty or delivery must wait. */
  flush(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.loop().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /**
   * The page is going away: send what is not already in flight in one keepalive request, within
   * what is left of the keepalive budget. Events stay persisted until a 2xx is seen, so if this
   * answer is lost they go again on the next visit (the server dedupes by id).
   */
  flushOnUnload(): void {
    if (!this.ready()) return;
    const budget = Math.min(this.options.maxBatchBytes, KEEPALIVE_LIMIT_BYTES - this.inFlightBytes - 1024);
    if (budget <= 0) return;
    const waiting = this.queue.peek().filter((item) => !this.inFlight.has(item.id));
    void this.attempt(waiting, budget);
  }

  private ready(): boolean {
    return this.options.canSend() && this.options.now() >= this.retryAt;
  }

  private async loop(): Promise<void> {
    while (this.ready()) {
      await this.expire();
      const waiting = this.queue.peek().filter((item) => !this.inFlight.has(item.id));
      if (waiting.length === 0) return;
      const progressed = await this.attempt(waiting, this.options.maxBatchBytes);
      if (!progressed) return;
    }
    // Woken early (a timer set before the failure that started this backoff): sleep until
    // the backoff ends instead of waiting for the next event to wake us.
    if (this.options.canSend() && this.queue.size > 0) this.schedule(0);
  }

  /** One request. Returns whether the loop may go on immediately. */
  private async attempt(waiting: readonly QueuedEvent[], maxBytes: number): Promise<boolean> {
    const batch = takeBatch(waiting, this.options.maxBatchEvents, maxBytes);
    if (batch.oversize.length > 0) await this.queue.drop(ids(batch.oversize), "too_large");
    if (batch.events.length === 0) return batch.oversize.length > 0;
    const batchIds = ids(batch.events);
    for (const id of batchIds) this.inFlight.add(id);
    this.inFlightBytes += batch.bytes;
    let outcome: AttemptOutcome;
    try {
      outcome = await this.options.send(batch.body);
    } finally {
      for (const id of batchIds) this.inFlight.delete(id);
      this.inFlightBytes -= batch.bytes;
    }
    const decision = decideRetry(outcome, this.options.now());
    switch (decision.type) {
      case "delivered":
        await this.queue.remove(batchIds);
        return true;
      case "drop":
        await this.queue.drop(batchIds, decision.reason);
        return true;
      case "retry": {
        // Offline is not the server's fault and says nothing about the events: wait for the
        // browser's "online" event without spending attempts.
        if (outcome.type === "network_error" && !this.options.isOnline()) return false;
        await this.queue.recordFailure(batchIds);
        const attempts = Math.max(...batch.events.map((item) => item.attempts));
        const backoff = backoffDelay(attempts, this.options.random(), this.options.backoff);
        const serverWait = Math.min(decision.afterMs || 0, this.options.maxRetryAfterMs);
        this.retryAt = this.options.now() + Math.max(backoff, serverWait);
        this.schedule(0);
        return false;
      }
      default:
        return unreachable(decision);
    }
  }

  private async expire(): Promise<void> {
    const now = this.options.now();
    const expired = this.queue
      .peek()
      .filter((item) => item.attempts >= this.options.maxAttempts || now - item.enqueuedAt > this.options.maxAgeMs);
    if (expired.length > 0) await this.queue.drop(ids(expired), "expired");
  }
}

function ids(items: readonly QueuedEvent[]): string[] {
  return items.map((item) => item.id);
}

function unreachable(value: never): never {
  throw new Error(`unhandled decision ${JSON.stringify(value)}`);
}
