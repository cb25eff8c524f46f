import { describe, expect, it } from "vitest";
import type { CartEvent } from "../events/event.ts";
import { type ProfileFold, advanceFold, deriveProfile, foldProfile, profileOf } from "./derive.ts";
import { ev, line, quantities } from "./testing.ts";
import { canonicalOrder } from "./timeline.ts";

/** A fold of `earlier` as ingest stores it (through JSON), then `later` folded onto it. */
function resume(earlier: CartEvent[], later: CartEvent[]): ProfileFold | null {
  const stored = JSON.parse(JSON.stringify(foldProfile(null, canonicalOrder(earlier)))) as ProfileFold;
  return foldProfile(stored, canonicalOrder(later));
}

describe("stored profile folds", () => {
  it("continues a fold with later events: identity facts, tokens and the cart as from the whole history", () => {
    const earlier = [
      ev.add({ id: "a1", at: 0, ids: { clientId: "b1", cartToken: "c1" } }, "11", 2),
      ev.identify({ id: "i1", at: 5, ids: { clientId: "b1", email: "old@example.com" }, source: "webhook" }),
    ];
    const later = [
      ev.add({ id: "a2", at: 600, ids: { clientId: "b1", cartToken: "c1" } }, "22"),
      ev.remove({ id: "r1", at: 660, ids: { clientId: "b1", cartToken: "c1" } }, "11", 1),
      ev.identify({ id: "i2", at: 700, ids: { clientId: "b2", email: "new@example.com" }, source: "api" }),
    ];
    const fold = resume(earlier, later);
    expect(fold).not.toBeNull();
    const derived = profileOf(fold!);
    expect(derived).toEqual(deriveProfile([...earlier, ...later]));
    expect(quantities(derived.cart)).toEqual({ "11": 1, "22": 1 });
    expect(derived.email).toBe("new@example.com");
    expect(derived.clientIds).toEqual(["b1", "b2"]);
  });

  it("counts a witness of an earlier add once across the fold boundary", () => {
    const sdk = ev.add({ id: "sdk", at: 10, source: "sdk", ids: { clientId: "b1", cartToken: "c1" } }, "11");
    const pixel = ev.add({ id: "px", at: 12, source: "pixel", ids: { clientId: "b1" } }, "11");
    const fold = resume([sdk], [pixel]);
    expect(quantities(profileOf(fold!).cart)).toEqual({ "11": 1 });
  });

  it("declines an event from before the fold's last one", () => {
    const first = ev.add({ id: "a", at: 100, ids: { cartToken: "c1" } }, "11");
    const late = ev.add({ id: "b", at: 50, ids: { cartToken: "c1" } }, "22");
    expect(resume([first], [late])).toBeNull();
    const stored = foldProfile(null, [first])!;
    expect(advanceFold(stored, [late])).toBe("whole_history");
  });

  it("never ends a fold inside a millisecond: a token seen at the same instant claims a token-less add", () => {
    // Found by the ingest property test: the pixel's add and the SDK's snapshot of a new cart
    // share a millisecond; the add sorts first by id, yet the rules read the snapshot's token.
    const first = ev.add({ id: "a", at: 0, ids: { clientId: "b1", cartToken: "c1" } }, "11");
    const pixel = ev.add({ id: "px", at: 100, source: "pixel", ids: { clientId: "b1" } }, "22");
    const snapshot = ev.snapshot({ id: "ss", at: 100, source: "sdk", ids: { clientId: "b1", cartToken: "c2" } }, { "22": 1 });
    expect(quantities(deriveProfile([first, pixel, snapshot]).cart)).toEqual({ "11": 1, "22": 1 });
    expect(resume([first, pixel], [snapshot])).toBeNull();
    const result = advanceFold(null, [first, pixel, snapshot], undefined, { lagMs: 1, maxTail: 1 });
    expect(result !== "whole_history" && result.fold?.last?.id).toBe("a");
  });

  it("declines when a cart token shows up for a delta that had none (the token claims it)", () => {
    // The pixel's add has no token; the cart's first snapshot comes later and already shows it.
    const pixel = ev.add({ id: "px", at: 0, source: "pixel", ids: { clientId: "b1" } }, "11");
    const snapshot = ev.snapshot({ id: "wh", at: 5, source: "webhook", ids: { cartToken: "c1" } }, { "11": 1 });
    expect(resume([pixel], [snapshot])).toBeNull();
    expect(quantities(deriveProfile([pixel, snapshot]).cart)).toEqual({ "11": 1 });
  });

  it("declines when a later event links an earlier order's checkout to its cart", () => {
    // Two carts; the pixel reports an order by checkout only, the order webhook then names the cart.
    const carts = [
      ev.add({ id: "a1", at: 0, ids: { clientId: "b1", cartToken: "c1" } }, "11"),
      ev.add({ id: "a2", at: 1, ids: { clientId: "b2", cartToken: "c2" } }, "22"),
    ];
    const pixelOrder = ev.charged({ id: "px", at: 100, source: "pixel", ids: { clientId: "b1", checkoutToken: "k1" } }, "o1");
    const webhookOrder = ev.charged({ id: "wh", at: 101, source: "webhook", ids: { cartToken: "c1", checkoutToken: "k1" } }, "o1");
    expect(resume([...carts, pixelOrder], [webhookOrder])).toBeNull();
    // Only the purchased cart empties.
    expect(quantities(deriveProfile([...carts, pixelOrder, webhookOrder]).cart)).toEqual({ "22": 1 });
  });

  it("declines when a later witness brings the price of an earlier unpriced add", () => {
    const unpriced: CartEvent = { ...ev.add({ id: "api", at: 10, source: "api", ids: { cartToken: "c1" } }, "11"), line: line("11", 1, null) } as CartEvent;
    const priced = ev.add({ id: "sdk", at: 11, source: "sdk", ids: { cartToken: "c1" } }, "11");
    expect(resume([unpriced], [priced])).toBeNull();
    expect(deriveProfile([unpriced, priced]).cart[0]?.unitPrice).toBe(1000);
  });

  it("keeps the stored fold a few minutes or a few hundred events behind the newest event", () => {
    const events = Array.from({ length: 30 }, (_, i) => ev.add({ id: `e${String(i).padStart(2, "0")}`, at: i * 60, ids: { cartToken: "c1" } }, "11"));
    const byTime = advanceFold(null, events, undefined, { lagMs: 5 * 60_000, maxTail: 1000 });
    if (byTime === "whole_history") throw new Error("a fold from nothing always derives");
    expect(byTime.fold?.last?.id).toBe("e24");
    const byCount = advanceFold(null, events, undefined, { lagMs: 5 * 60_000, maxTail: 3 });
    expect(byCount !== "whole_history" && byCount.fold?.last?.id).toBe("e26");
    expect(byCount !== "whole_history" && byCount.derived).toEqual(deriveProfile(events));
  });
});
