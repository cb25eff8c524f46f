import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_DELIVERY, Delivery } from "./delivery.ts";
import { PersistentQueue } from "./queue.ts";
import type { AttemptOutcome } from "./retry.ts";
import { memoryStore } from "./store.ts";

interface Harness {
  queue: PersistentQueue;
  delivery: Delivery;
  sent: string[][];
  answers: AttemptOutcome[];
  state: { consent: boolean; online: boolean };
  add(...ids: string[]): Promise<void>;
}

async function harness(overrides: Partial<typeof DEFAULT_DELIVERY> = {}): Promise<Harness> {
  const queue = new PersistentQueue(memoryStore(), "shop", 100);
  await queue.load();
  const sent: string[][] = [];
  const answers: AttemptOutcome[] = [];
  const state = { consent: true, online: true };
  const delivery = new Delivery(queue, {
    ...DEFAULT_DELIVERY,
    ...overrides,
    send: async (body) => {
      sent.push(JSON.parse(body).events.map((e: { id: string }) => e.id));
      return answers.shift() ?? { type: "response", status: 200, retryAfter: null };
    },
    canSend: () => state.consent,
    isOnline: () => state.online,
    now: () => Date.now(),
    random: () => 0.5,
  });
  const add = async (...ids: string[]) => {
    for (const id of ids) await queue.push({ id, body: { id }, enqueuedAt: Date.now(), attempts: 0 });
    delivery.schedule();
  };
  return { queue, delivery, sent, answers, state, add };
}

const status = (code: number, retryAfter: string | null = null): AttemptOutcome => ({ type: "response", status: code, retryAfter });

describe("Delivery", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-26T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("coalesces a burst of events into one request after the flush delay", async () => {
    const h = await harness();
    await h.add("a", "b", "c");
    expect(h.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(DEFAULT_DELIVERY.flushDelayMs);
    expect(h.sent).toEqual([["a", "b", "c"]]);
    expect(h.queue.size).toBe(0);
  });

  it("retries a 500 after backoff and delivers each event exactly once", async () => {
    const h = await harness();
    h.answers.push(status(500), status(503));
    await h.add("a", "b");
    await vi.advanceTimersByTimeAsync(DEFAULT_DELIVERY.flushDelayMs);
    expect(h.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(h.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(h.sent).toEqual([["a", "b"], ["a", "b"], ["a", "b"]]);
    expect(h.queue.size).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(h.sent).toHaveLength(3);
  });

  it("waits as long as Retry-After says before trying again", async () => {
    const h = await harness();
    h.answers.push(status(429, "30"));
    await h.add("a");
    await vi.advanceTimersByTimeAsync(DEFAULT_DELIVERY.flushDelayMs);
    await h.add("b");
    await vi.advanceTimersByTimeAsync(29_000);
    expect(h.sent).toEqual([["a"]]);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(h.sent).toEqual([["a"], ["a", "b"]]);
  });

  it("drops events the server rejects with a 4xx, counting why, and never resends them", async () => {
    const h = await harness();
    h.answers.push(status(400));
    await h.add("bad");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.sent).toEqual([["bad"]]);
    expect(h.queue.size).toBe(0);
    expect(h.queue.dropped).toEqual({ rejected: 1 });
  });

  it("does not spend attempts while offline and sends as soon as the browser is back online", async () => {
    const h = await harness({ maxAttempts: 2 });
    h.state.online = false;
    h.answers.push({ type: "network_error" }, { type: "network_error" }, { type: "network_error" });
    await h.add("a");
    await vi.advanceTimersByTimeAsync(DEFAULT_DELIVERY.flushDelayMs);
    await h.delivery.flush();
    await h.delivery.flush();
    expect(h.queue.peek()[0]?.attempts).toBe(0);
    h.state.online = true;
    h.delivery.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent.at(-1)).toEqual(["a"]);
    expect(h.queue.size).toBe(0);
  });

  it("keeps events queued until consent is given", async () => {
    const h = await harness();
    h.state.consent = false;
    await h.add("a", "b");
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.sent).toEqual([]);
    expect(h.queue.size).toBe(2);
    h.state.consent = true;
    h.delivery.resume();
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toEqual([["a", "b"]]);
  });

  it("gives up on an event after the attempt cap and counts it as expired", async () => {
    const h = await harness({ maxAttempts: 3 });
    h.answers.push(status(500), status(500), status(500), status(500));
    await h.add("a");
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(h.sent).toHaveLength(3);
    expect(h.queue.size).toBe(0);
    expect(h.queue.dropped).toEqual({ expired: 1 });
  });

  it("splits a large backlog into batches within the size limit", async () => {
    const h = await harness({ maxBatchEvents: 2 });
    await h.add("a", "b", "c", "d", "e");
    await vi.advanceTimersByTimeAsync(DEFAULT_DELIVERY.flushDelayMs);
    expect(h.sent).toEqual([["a", "b"], ["c", "d"], ["e"]]);
  });

  it("on unload sends only what is not already in flight", async () => {
    const releases: Array<(o: AttemptOutcome) => void> = [];
    const bodies: string[][] = [];
    const queue = new PersistentQueue(memoryStore(), "shop", 100);
    await queue.load();
    const delivery = new Delivery(queue, {
      ...DEFAULT_DELIVERY,
      send: (body) => {
        bodies.push(JSON.parse(body).events.map((e: { id: string }) => e.id));
        return new Promise((resolve) => {
          releases.push(resolve);
        });
      },
      canSend: () => true,
      isOnline: () => true,
      now: () => Date.now(),
      random: () => 0.5,
    });
    await queue.push({ id: "a", body: { id: "a" }, enqueuedAt: Date.now(), attempts: 0 });
    const running = delivery.flush();
    await vi.advanceTimersByTimeAsync(0);
    expect(bodies).toEqual([["a"]]);
    await queue.push({ id: "b", body: { id: "b" }, enqueuedAt: Date.now() + 1, attempts: 0 });
    delivery.flushOnUnload();
    expect(bodies).toEqual([["a"], ["b"]]);
    releases[0]?.(status(200));
    await running;
    expect(queue.peek().map((e) => e.id)).toEqual(["b"]);
    releases[1]?.(status(200));
    await vi.advanceTimersByTimeAsync(0);
    expect(queue.size).toBe(0);
  });
});

describe("Delivery after a failure with events arriving meanwhile", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-26T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("still retries when a flush timer set during the failed request fires inside the backoff", async () => {
    const queue = new PersistentQueue(memoryStore(), "shop", 100);
    await queue.load();
    const sent: string[][] = [];
    const answers = [status(500)];
    let resolveFirst: (o: AttemptOutcome) => void = () => {};
    const delivery = new Delivery(queue, {
      ...DEFAULT_DELIVERY,
      send: (body) => {
        sent.push(JSON.parse(body).events.map((e: { id: string }) => e.id));
        if (sent.length === 1) return new Promise((resolve) => (resolveFirst = resolve));
        return Promise.resolve(answers.shift() ?? status(200));
      },
      canSend: () => true,
      isOnline: () => true,
      now: () => Date.now(),
      // Longest backoff, so the early timer certainly fires inside it.
      random: () => 0.999,
    });
    await queue.push({ id: "a", body: { id: "a" }, enqueuedAt: Date.now(), attempts: 0 });
    delivery.schedule();
    await vi.advanceTimersByTimeAsync(DEFAULT_DELIVERY.flushDelayMs);
    await queue.push({ id: "b", body: { id: "b" }, enqueuedAt: Date.now(), attempts: 0 });
    delivery.schedule();
    resolveFirst(status(500));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sent.at(-1)).toEqual(["a", "b"]);
    expect(queue.size).toBe(0);
  });
});

describe("Delivery on unload", () => {
  it("keeps the unload request within what is left of the 64 KiB keepalive budget", async () => {
    const queue = new PersistentQueue(memoryStore(), "shop", 1000);
    await queue.load();
    const bodies: string[] = [];
    const pending: Array<(o: AttemptOutcome) => void> = [];
    const delivery = new Delivery(queue, {
      ...DEFAULT_DELIVERY,
      maxBatchEvents: 500,
      send: (body) => {
        bodies.push(body);
        return new Promise((resolve) => pending.push(resolve));
      },
      canSend: () => true,
      isOnline: () => true,
      now: () => Date.now(),
      random: () => 0.5,
    });
    const pad = "x".repeat(1000);
    for (let i = 0; i < 200; i++) await queue.push({ id: `e${i}`, body: { id: `e${i}`, pad }, enqueuedAt: Date.now() + i, attempts: 0 });
    void delivery.flush();
    await new Promise((r) => setTimeout(r, 0));
    expect(bodies).toHaveLength(1);
    const inFlight = new TextEncoder().encode(bodies[0]!).length;
    expect(inFlight).toBeLessThanOrEqual(DEFAULT_DELIVERY.maxBatchBytes);
    delivery.flushOnUnload();
    expect(bodies).toHaveLength(2);
    const unload = new TextEncoder().encode(bodies[1]!).length;
    expect(inFlight + unload).toBeLessThanOrEqual(64 * 1024);
    const first = JSON.parse(bodies[0]!).events.map((e: { id: string }) => e.id);
    const second = JSON.parse(bodies[1]!).events.map((e: { id: string }) => e.id);
    expect(first.filter((id: string) => second.includes(id))).toEqual([]);
  });
});
