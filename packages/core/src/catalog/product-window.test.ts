import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ProductWindow } from "./product-window.ts";
import type { ProductFacts } from "./variant-row.ts";

const product = (id: string, title = `P${id}`): ProductFacts => ({
  id, title, handle: null, vendor: null, productType: null, status: null, updatedAt: null, onlineStoreUrl: null, featuredImageUrl: null,
});

/** What the window must behave like: an insertion-ordered map trimmed to `capacity` (a re-listed id keeps its place). */
class MapModel {
  readonly map = new Map<string, ProductFacts>();
  constructor(private readonly capacity: number) {}
  add(p: ProductFacts): ProductFacts | null {
    this.map.set(p.id, p);
    if (this.map.size <= this.capacity) return null;
    const [oldest] = this.map.values();
    this.map.delete(oldest!.id);
    return oldest!;
  }
}

describe("ProductWindow", () => {
  it("keeps the most recent products by id and hands back the one pushed out", () => {
    const window = new ProductWindow(2);
    expect(window.add(product("1"))).toBeNull();
    expect(window.add(product("2"))).toBeNull();
    expect(window.add(product("3"))?.id).toBe("1");
    expect(window.get("1")).toBeUndefined();
    expect(window.get("3")?.title).toBe("P3");
    const drained: string[] = [];
    window.drain((p) => drained.push(p.id));
    expect(drained).toEqual(["2", "3"]);
    expect(window.get("2")).toBeUndefined();
  });

  it("with no room, hands every product straight back", () => {
    const window = new ProductWindow(0);
    expect(window.add(product("1"))?.id).toBe("1");
    expect(window.get("1")).toBeUndefined();
  });

  it("agrees with an insertion-ordered map on any sequence of ids, re-listings and colliding hashes included", () => {
    // Few distinct ids in a small window: long probe runs, removals from their middle, wrap-around.
    const ids = fc.array(fc.integer({ min: 0, max: 40 }).map((n) => String(9_007_199_254_740_000 + n)), { maxLength: 300 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), ids, (capacity, sequence) => {
        const window = new ProductWindow(capacity);
        const model = new MapModel(capacity);
        sequence.forEach((id, i) => {
          const p = product(id, `${id}@${i}`);
          expect(window.add(p)?.title ?? null).toBe(model.add(p)?.title ?? null);
          for (const probe of new Set(sequence)) expect(window.get(probe)?.title).toBe(model.map.get(probe)?.title);
        });
        const drained: string[] = [];
        window.drain((p) => drained.push(p.title));
        expect(drained).toEqual([...model.map.values()].map((p) => p.title));
      }),
      { numRuns: 200 },
    );
  });
});
