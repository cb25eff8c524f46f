import { describe, expect, it } from "vitest";
import { PersistentQueue, type QueuedEvent } from "./queue.ts";
import { memoryStore } from "./store.ts";

const event = (id: string, enqueuedAt: number): QueuedEvent => ({ id, enqueuedAt, attempts: 0, body: { id } });

describe("PersistentQueue", () => {
  it("survives a reload: a new queue over the same store finds the events, oldest first", async () => {
    const store = memoryStore();
    const first = new PersistentQueue(store, "shop-a", 100);
    await first.load();
    await first.push(event("b", 2));
    await first.push(event("a", 1));
    const second = new PersistentQueue(store, "shop-a", 100);
    await second.load();
    expect(second.peek().map((e) => e.id)).toEqual(["a", "b"]);
  });

  it("keeps two tabs' events apart instead of overwriting one another", async () => {
    const store = memoryStore();
    const tabA = new PersistentQueue(store, "shop-a", 100);
    const tabB = new PersistentQueue(store, "shop-a", 100);
    await Promise.all([tabA.load(), tabB.load()]);
    await tabA.push(event("from-a", 1));
    await tabB.push(event("from-b", 2));
    await tabB.remove(["from-b"]);
    const later = new PersistentQueue(store, "shop-a", 100);
    await later.load();
    expect(later.peek().map((e) => e.id)).toEqual(["from-a"]);
  });

  it("drops the oldest events past the cap and counts them", async () => {
    const store = memoryStore();
    const queue = new PersistentQueue(store, "shop-a", 3);
    await queue.load();
    for (let i = 1; i <= 5; i++) await queue.push(event(`e${i}`, i));
    expect(queue.peek().map((e) => e.id)).toEqual(["e3", "e4", "e5"]);
    expect(queue.dropped).toEqual({ queue_full: 2 });
    const reloaded = new PersistentQueue(store, "shop-a", 3);
    await reloaded.load();
    expect(reloaded.size).toBe(3);
  });

  it("ignores a second push of the same id and other shops' keys", async () => {
    const store = memoryStore();
    const queue = new PersistentQueue(store, "shop-a", 10);
    const other = new PersistentQueue(store, "shop-b", 10);
    await queue.load();
    await queue.push(event("x", 1));
    await queue.push(event("x", 1));
    await other.load();
    expect(queue.size).toBe(1);
    expect(other.size).toBe(0);
  });

  it("persists failure counts so caps hold across reloads", async () => {
    const store = memoryStore();
    const queue = new PersistentQueue(store, "shop-a", 10);
    await queue.load();
    await queue.push(event("x", 1));
    await queue.recordFailure(["x"]);
    await queue.recordFailure(["x"]);
    const reloaded = new PersistentQueue(store, "shop-a", 10);
    await reloaded.load();
    expect(reloaded.peek()[0]?.attempts).toBe(2);
  });
});
