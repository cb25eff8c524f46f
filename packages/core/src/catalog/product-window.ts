import type { ProductFacts } from "./variant-row.ts";

/**
 * The reassembler's most recent products, found by id, held in arrays allocated once and
 * written in place. A Map that gains one product and drops one per product line replaces its
 * hash table every few dozen lines; V8 promotes the tables to old space, and a dead table
 * there keeps the products it listed alive through every young collection until the next full
 * one, promoting them too (bench:catalog: old space at the peak 17 → 47 MB from 10k to 1M
 * variants, with 15-19 MB live). Here nothing points at a product once it has left.
 *
 * Open addressing with linear probing; a removal shifts the entries after it back, so there
 * are no tombstones to clean up.
 */
export class ProductWindow {
  /** Products in arrival order, a ring: `next` is the oldest slot, overwritten next. */
  private readonly ring: Array<ProductFacts | null>;
  private next = 0;
  private readonly keys: Array<string | null>;
  private readonly hashes: Int32Array;
  /** For each key, the ring slot of its product. */
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(readonly capacity: number) {
    this.ring = new Array<ProductFacts | null>(capacity).fill(null);
    let size = 8;
    while (size < capacity * 2) size *= 2;
    this.keys = new Array<string | null>(size).fill(null);
    this.hashes = new Int32Array(size);
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  get(id: string): ProductFacts | undefined {
    const at = this.find(id, hash(id));
    return at < 0 ? undefined : this.ring[this.slots[at]!]!;
  }

  /**
   * Keeps `product` as the newest and returns the product that had to leave to make room, if
   * any. A product listed again replaces its earlier listing where it stands (as Map.set does).
   */
  add(product: ProductFacts): ProductFacts | null {
    if (this.capacity === 0) return product;
    const h = hash(product.id);
    const listed = this.find(product.id, h);
    if (listed >= 0) {
      this.ring[this.slots[listed]!] = product;
      return null;
    }
    const oldest = this.ring[this.next] ?? null;
    if (oldest) this.remove(this.find(oldest.id, hash(oldest.id)));
    this.ring[this.next] = product;
    let at = h & this.mask;
    while (this.keys[at] !== null) at = (at + 1) & this.mask;
    this.keys[at] = product.id;
    this.hashes[at] = h;
    this.slots[at] = this.next;
    this.next = (this.next + 1) % this.capacity;
    return oldest;
  }

  /** Empties the window, handing each product over, oldest first. */
  drain(take: (product: ProductFacts) => void): void {
    for (let i = 0; i < this.capacity; i++) {
      const slot = (this.next + i) % this.capacity;
      const product = this.ring[slot];
      if (product) take(product);
      this.ring[slot] = null;
    }
    this.keys.fill(null);
  }

  private find(id: string, h: number): number {
    for (let at = h & this.mask; ; at = (at + 1) & this.mask) {
      const key = this.keys[at];
      if (key === null) return -1;
      if (this.hashes[at] === h && key === id) return at;
    }
  }

  /** Empties `hole` and moves back each later entry of the run that may live there. */
  private remove(hole: number): void {
    const { keys, hashes, slots, mask } = this;
    for (let at = (hole + 1) & mask; keys[at] !== null; at = (at + 1) & mask) {
      const home = hashes[at]! & mask;
      // The entry at `at` may move to `hole` unless its home lies cyclically in (hole, at].
      const stays = hole <= at ? home > hole && home <= at : home > hole || home <= at;
      if (stays) continue;
      keys[hole] = keys[at]!;
      hashes[hole] = hashes[at]!;
      slots[hole] = slots[at]!;
      hole = at;
    }
    keys[hole] = null;
  }
}

/** FNV-1a over the id's UTF-16 code units. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h;
}
