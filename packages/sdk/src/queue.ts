import type { DropReason } from "./retry.ts";
import type { Store } from "./store.ts";

export interface QueuedEvent {
  id: string;
  body: Record<string, unknown>;
  enqueuedAt: number;
  /** Failed attempts so far; network errors while the browser says it is offline do not count. */
  attempts: number;
}

export type DropCounts = Partial<Record<DropReason, number>>;

/**
 * Events waiting for delivery, mirrored to a Store. Each event is its own key (versioned, with
 * the enqueue time first so keys sort oldest-first): two tabs of the same shop then add and
 * delete their own keys instead of overwriting one shared array and losing each other's events.
 */
export class PersistentQueue {
  private items: QueuedEvent[] = [];
  private readonly prefix: string;
  readonly dropped: DropCounts = {};

  constructor(
    private readonly store: Store,
    namespace: string,
    private readonly cap: number,
  ) {
    this.prefix = `v1:q:${namespace}:`;
  }

  /** Merge what an earlier page (or another tab) left in storage. Safe to call again. */
  async load(): Promise<void> {
    const known = new Set(this.items.map((item) => item.id));
    const stored = (await this.store.entries())
      .filter(([key]) => key.startsWith(this.prefix))
      .map(([, value]) => value)
      .filter(isQueuedEvent)
      .filter((item) => !known.has(item.id));
    this.items = [...stored, ...this.items].sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    await this.enforceCap();
  }

  get size(): number {
    return this.items.length;
  }

  peek(): readonly QueuedEvent[] {
    return this.items;
  }

  async push(event: QueuedEvent): Promise<void> {
    if (this.items.some((item) => item.id === event.id)) return;
    this.items.push(event);
    await this.store.set(this.key(event), event);
    await this.enforceCap();
  }

  async remove(ids: readonly string[]): Promise<void> {
    const gone = new Set(ids);
    const removed = this.items.filter((item) => gone.has(item.id));
    if (removed.length === 0) return;
    this.items = this.items.filter((item) => !gone.has(item.id));
    await this.store.delMany(removed.map((item) => this.key(item)));
  }

  async drop(ids: readonly string[], reason: DropReason): Promise<void> {
    const before = this.items.length;
    await this.remove(ids);
    this.count(reason, before - this.items.length);
  }

  async recordFailure(ids: readonly string[]): Promise<void> {
    const failed = new Set(ids);
    const touched = this.items.filter((item) => failed.has(item.id));
    for (const item of touched) item.attempts += 1;
    await Promise.all(touched.map((item) => this.store.set(this.key(item), item)));
  }

  /** Removes everything, persisted copies included (used by reset()). */
  async clear(): Promise<void> {
    const keys = (await this.store.entries()).map(([key]) => key).filter((key) => key.startsWith(this.prefix));
    this.items = [];
    await this.store.delMany(keys);
  }

  private async enforceCap(): Promise<void> {
    const excess = this.items.length - this.cap;
    if (excess <= 0) return;
    // Oldest first: the newest events describe the cart as it is now, which is what matters.
    const oldest = this.items.slice(0, excess).map((item) => item.id);
    await this.drop(oldest, "queue_full");
  }

  private count(reason: DropReason, n: number): void {
    if (n > 0) this.dropped[reason] = (this.dropped[reason] || 0) + n;
  }

  private key(item: QueuedEvent): string {
    return `${this.prefix}${String(item.enqueuedAt).padStart(15, "0")}:${item.id}`;
  }
}

function isQueuedEvent(value: unknown): value is QueuedEvent {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "string" && typeof v.enqueuedAt === "number" && typeof v.attempts === "number" && typeof v.body === "object";
}
