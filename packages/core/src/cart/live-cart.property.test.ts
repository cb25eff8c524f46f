import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CartEvent } from "../events/event.ts";
import { type FoldLag, type ProfileFold, advanceFold, deriveProfile, foldProfile, isAfter, profileOf, shopifyCartIds } from "./derive.ts";
import { DEFAULT_CART_RULES } from "./live-cart.ts";
import { canonicalOrder } from "./timeline.ts";
import { ev, quantities } from "./testing.ts";

/**
 * Random journeys: each true mutation is reported by one to three witnesses (pixel delta
 * without a token, SDK delta, SDK /cart.js snapshot, carts/update webhook snapshot), stamped
 * with independent clock skew; the events are then duplicated and shuffled. The derived
 * cart must equal the true cart, whatever the order.
 */
const W = DEFAULT_CART_RULES.witnessWindowMs / 1000;
const SKEW = W / 4;
const VARIANTS = ["11", "22", "33", "704912205188288575"];

type Op = { kind: "add" | "remove"; variant: string; quantity: number } | { kind: "charge" };
type Witnesses = { pixel: boolean; sdkDelta: boolean; sdkSnapshot: boolean; webhook: boolean; linkCheckout: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("add" as const), variant: fc.constantFrom(...VARIANTS), quantity: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("remove" as const), variant: fc.constantFrom(...VARIANTS), quantity: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "charge" as const }) },
);
const witnesses: fc.Arbitrary<Witnesses> = fc
  .record({ pixel: fc.boolean(), sdkDelta: fc.boolean(), sdkSnapshot: fc.boolean(), webhook: fc.boolean(), linkCheckout: fc.boolean() })
  .filter((w) => [w.pixel, w.sdkDelta, w.sdkSnapshot, w.webhook].filter(Boolean).length >= 1 && [w.pixel, w.sdkDelta, w.sdkSnapshot, w.webhook].filter(Boolean).length <= 3);
const step = fc.record({ op, witnesses, skews: fc.array(fc.double({ min: -SKEW, max: SKEW, noNaN: true }), { minLength: 4, maxLength: 4 }) });

interface Journey {
  events: CartEvent[];
  truth: Record<string, number>;
  order: string[];
}

function play(steps: { op: Op; witnesses: Witnesses; skews: number[] }[]): Journey {
  const truth = new Map<string, number>();
  const events: CartEvent[] = [];
  let cartNo = 1;
  const browser = "browser-1";
  steps.forEach(({ op, witnesses: w, skews }, k) => {
    const t = k * 3 * W;
    const token = `c1-${cartNo}`;
    const at = (i: number) => t + skews[i]!;
    if (op.kind === "charge") {
      const checkout = `chk-${k}`;
      if (w.linkCheckout) events.push(ev.checkout({ id: `co-${k}`, at: t - W, source: "webhook", ids: { cartToken: token, checkoutToken: checkout } }));
      if (w.pixel || w.sdkDelta) events.push(ev.charged({ id: `px-${k}`, at: at(0), source: "pixel", ids: { clientId: browser, checkoutToken: checkout } }, `${k}`));
      if (w.webhook || w.sdkSnapshot || !(w.pixel || w.sdkDelta)) {
        events.push(ev.charged({ id: `wh-${k}`, at: at(1), source: "webhook", ids: { cartToken: token, checkoutToken: checkout } }, `${k}`));
      }
      truth.clear();
      cartNo++;
      return;
    }
    const current = truth.get(op.variant) ?? 0;
    if (op.kind === "remove" && current === 0) return;
    const quantity = op.kind === "remove" ? Math.min(op.quantity, current) : op.quantity;
    const next = current + (op.kind === "add" ? quantity : -quantity);
    if (next > 0) truth.set(op.variant, next);
    else truth.delete(op.variant);
    const delta = op.kind === "add" ? ev.add : ev.remove;
    const after = Object.fromEntries(truth);
    if (w.pixel) events.push(delta({ id: `px-${k}`, at: at(0), source: "pixel", ids: { clientId: browser } }, op.variant, quantity));
    if (w.sdkDelta) events.push(delta({ id: `sd-${k}`, at: at(1), source: "sdk", ids: { clientId: browser, cartToken: token } }, op.variant, quantity));
    if (w.sdkSnapshot) events.push(ev.snapshot({ id: `ss-${k}`, at: at(2), source: "sdk", ids: { clientId: browser, cartToken: token } }, after));
    if (w.webhook) events.push(ev.snapshot({ id: `wh-${k}`, at: at(3), source: "webhook", ids: { cartToken: token } }, after));
  });
  return { events, truth: Object.fromEntries(truth), order: [] };
}

/** The true order of first add, replayed separately because Map re-insertion moves keys. */
function trueOrder(steps: { op: Op }[]): string[] {
  const order: string[] = [];
  const qty = new Map<string, number>();
  for (const { op } of steps) {
    if (op.kind === "charge") {
      qty.clear();
      order.length = 0;
      continue;
    }
    const current = qty.get(op.variant) ?? 0;
    if (op.kind === "remove" && current === 0) continue;
    const next = op.kind === "add" ? current + op.quantity : current - Math.min(op.quantity, current);
    if (current === 0 && next > 0) order.push(op.variant);
    if (next === 0) order.splice(order.indexOf(op.variant), 1);
    qty.set(op.variant, next);
  }
  return order;
}

const shuffled = (events: CartEvent[]): fc.Arbitrary<CartEvent[]> =>
  events.length === 0 ? fc.constant([]) : fc.array(fc.tuple(fc.integer({ min: 0, max: events.length - 1 }), fc.double({ noNaN: true })), { maxLength: events.length * 2 }).chain((extra) =>
    fc.shuffledSubarray([...events, ...extra.map(([i]) => events[i]!)], { minLength: events.length + extra.length }),
  );

describe("live cart properties", () => {
  it("derives the true cart from any order of witnesses, with duplicates, without double counting", () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 14 }).chain((steps) => {
          const journey = play(steps);
          return fc.tuple(fc.constant(steps), fc.constant(journey), shuffled(journey.events), shuffled(journey.events));
        }),
        ([steps, journey, orderA, orderB]) => {
          const a = deriveProfile(orderA);
          const b = deriveProfile(orderB);
          expect(quantities(a.cart)).toEqual(journey.truth);
          expect(shopifyCartIds(a)).toEqual(trueOrder(steps));
          expect(a).toEqual(b);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

/** What ingest does with a stored fold: fold new events on when they come after it, else start over. */
function ingestInBatches(batches: CartEvent[][], lag: FoldLag): { derived: ReturnType<typeof deriveProfile>; stored: CartEvent[]; resumed: number }[] {
  const stored = new Map<string, CartEvent>();
  let fold: ProfileFold | null = null;
  let resumed = 0;
  const out = [];
  for (const batch of batches) {
    const fresh = batch.filter((e) => !stored.has(e.id));
    for (const e of fresh) if (!stored.has(e.id)) stored.set(e.id, e);
    let result: ReturnType<typeof advanceFold> = "whole_history";
    if (fold && fresh.every((e) => isAfter(fold!, e))) {
      // Stored folds travel through JSON (a jsonb column).
      const restored = JSON.parse(JSON.stringify(fold)) as ProfileFold;
      result = advanceFold(restored, canonicalOrder([...stored.values()].filter((e) => isAfter(restored, e))), DEFAULT_CART_RULES, lag);
      if (result !== "whole_history") resumed++;
    }
    if (result === "whole_history") result = advanceFold(null, canonicalOrder(stored.values()), DEFAULT_CART_RULES, lag);
    if (result === "whole_history") throw new Error("advanceFold(null) must always derive");
    fold = result.fold;
    out.push({ derived: result.derived, stored: [...stored.values()], resumed });
  }
  return out;
}

describe("stored folds", () => {
  it("folding later events onto a fold of earlier ones equals deriving from all of them, or declines", () => {
    let continued = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 14 }).chain((steps) => {
          const events = canonicalOrder(play(steps).events);
          return fc.tuple(fc.constant(events), fc.uniqueArray(fc.integer({ min: 0, max: events.length }), { maxLength: 3 }));
        }),
        ([events, cuts]) => {
          runs++;
          const bounds = [0, ...[...cuts].sort((a, b) => a - b), events.length];
          let fold: ProfileFold | null = foldProfile(null, []);
          for (let i = 0; i + 1 < bounds.length && fold; i++) {
            fold = foldProfile(JSON.parse(JSON.stringify(fold)) as ProfileFold, events.slice(bounds[i], bounds[i + 1]));
          }
          if (!fold) return;
          continued++;
          expect(profileOf(fold)).toEqual(deriveProfile(events));
        },
      ),
      { numRuns: 2000 },
    );
    // Declining is always correct; it must stay the exception for the fold to be worth storing.
    expect(continued / runs).toBeGreaterThan(0.5);
  });

  it("ingest with a stored fold derives what the whole history gives, batch after batch, in any arrival order", () => {
    let resumed = 0;
    let batchesSeen = 0;
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 30 }).chain((steps) => {
          const journey = play(steps);
          // Mostly in time order with a little shuffling and duplication, as real traffic arrives.
          const timed = canonicalOrder(journey.events);
          return fc.tuple(
            fc.constant(timed),
            shuffled(timed),
            fc.boolean(),
            fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 40 }),
            // Short lags so that journeys of minutes exercise stored folds; the defaults are minutes.
            fc.record({ lagMs: fc.integer({ min: 0, max: 4 * W * 1000 }), maxTail: fc.integer({ min: 0, max: 8 }) }),
          );
        }),
        ([timed, scrambled, inOrder, sizes, lag]) => {
          const arrival = inOrder ? timed : scrambled;
          const batches: CartEvent[][] = [];
          for (let i = 0, k = 0; i < arrival.length; k++) {
            const n = sizes[k % sizes.length]!;
            batches.push(arrival.slice(i, i + n));
            i += n;
          }
          const results = ingestInBatches(batches, lag);
          for (const r of results) expect(r.derived).toEqual(deriveProfile(r.stored));
          resumed += results.at(-1)?.resumed ?? 0;
          batchesSeen += batches.length;
        },
      ),
      { numRuns: 2000 },
    );
    expect(resumed).toBeGreaterThan(0);
    expect(resumed / batchesSeen).toBeGreaterThan(0.2);
  });
});
