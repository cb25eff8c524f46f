import { describe, expect, it } from "vitest";
import { byteLength, KEEPALIVE_LIMIT_BYTES, takeBatch } from "./batch.ts";
import type { QueuedEvent } from "./queue.ts";

const event = (id: string, padding = 0): QueuedEvent => ({ id, enqueuedAt: 1, attempts: 0, body: { id, name: "Added to Cart", pad: "é".repeat(padding) } });

describe("takeBatch", () => {
  it("takes the oldest events up to the count limit and builds a parseable body", () => {
    const batch = takeBatch([event("a"), event("b"), event("c")], 2, 60_000);
    expect(batch.events.map((e) => e.id)).toEqual(["a", "b"]);
    expect(JSON.parse(batch.body).events.map((e: { id: string }) => e.id)).toEqual(["a", "b"]);
    expect(batch.bytes).toBe(byteLength(batch.body));
  });

  it("stays under the byte limit counting UTF-8 bytes, not characters", () => {
    const items = Array.from({ length: 40 }, (_, i) => event(`e${i}`, 1000));
    const batch = takeBatch(items, 500, KEEPALIVE_LIMIT_BYTES - 4096);
    expect(byteLength(batch.body)).toBeLessThanOrEqual(KEEPALIVE_LIMIT_BYTES - 4096);
    expect(batch.events.length).toBeGreaterThan(20);
    expect(batch.events.length).toBeLessThan(40);
  });

  it("sets aside an event too big for any request", () => {
    const batch = takeBatch([event("huge", 40_000), event("ok")], 10, 60_000);
    expect(batch.oversize.map((e) => e.id)).toEqual(["huge"]);
    expect(batch.events.map((e) => e.id)).toEqual(["ok"]);
  });
});
