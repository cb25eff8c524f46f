import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Identifiers } from "../events/event.ts";
import { type IdentityKey, type ProfileRef, identityKeys, keyOf, planStitch, purchaseKeys } from "./stitch.ts";

/** A tiny in-memory identity store driven only by planStitch, as the repository is. */
class Graph {
  owners = new Map<string, ProfileRef>();
  events = new Map<string, Set<string>>();
  private next = 0;

  apply(eventId: string, ids: Identifiers): string {
    const keys = identityKeys(ids);
    const plan = planStitch(keys, this.owners);
    const own = (profileId: string, list: IdentityKey[]) => {
      const ref = this.ref(profileId);
      for (const k of list) this.owners.set(keyOf(k), ref);
    };
    let profileId: string;
    switch (plan.type) {
      case "create":
        profileId = `p${this.next++}`;
        this.events.set(profileId, new Set());
        this.owners.set(`__ref:${profileId}`, { profileId, createdAt: new Date(this.next) });
        own(profileId, plan.keys);
        break;
      case "attach":
        profileId = plan.profileId;
        own(profileId, plan.newKeys);
        break;
      case "merge":
        profileId = plan.survivor;
        for (const gone of plan.merged) {
          for (const [k, ref] of this.owners) if (ref.profileId === gone && !k.startsWith("__ref:")) this.owners.set(k, this.ref(profileId));
          for (const e of this.events.get(gone) ?? []) this.events.get(profileId)!.add(e);
          this.events.delete(gone);
        }
        own(profileId, plan.newKeys);
        break;
    }
    this.events.get(profileId)!.add(eventId);
    return profileId;
  }

  private ref(profileId: string): ProfileRef {
    return this.owners.get(`__ref:${profileId}`)!;
  }

  /** Profiles as sets of event ids: comparable across runs whatever the generated ids. */
  partition(): string[] {
    return [...this.events.values()].map((s) => [...s].sort().join(",")).sort();
  }
}

describe("identity stitching", () => {
  it("merges an anonymous browser into the profile that already has the email at checkout", () => {
    const g = new Graph();
    const known = g.apply("e1", { email: "ana@example.com", customerId: "7" });
    const anon = g.apply("e2", { clientId: "browser", cartToken: "c1-a" });
    expect(anon).not.toBe(known);
    const after = g.apply("e3", { checkoutToken: "chk", cartToken: "c1-a", email: "ana@example.com" });
    expect(after).toBe(known);
    expect(g.partition()).toEqual(["e1,e2,e3"]);
  });

  it("yields the same profiles for any order of the same events", () => {
    const pool = {
      clientId: ["b1", "b2", "b3"],
      cartToken: ["c1-a", "c1-b", "c1-c"],
      checkoutToken: ["k1", "k2"],
      customerId: ["7", "8"],
      email: ["a@example.com", "b@example.com"],
    };
    const ids = fc.record(
      Object.fromEntries(Object.entries(pool).map(([k, values]) => [k, fc.option(fc.constantFrom(...values), { nil: undefined })])) as {
        [K in keyof typeof pool]: fc.Arbitrary<string | undefined>;
      },
    ).filter((r) => Object.values(r).some(Boolean));
    fc.assert(
      fc.property(
        fc.array(ids, { minLength: 1, maxLength: 20 }).chain((list) =>
          fc.tuple(fc.constant(list), fc.shuffledSubarray(list.map((_, i) => i), { minLength: list.length })),
        ),
        ([list, order]) => {
          const clean = (r: Record<string, string | undefined>): Identifiers =>
            Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Identifiers;
          const a = new Graph();
          list.forEach((r, i) => {
            a.apply(`e${i}`, clean(r));
          });
          const b = new Graph();
          for (const i of order) b.apply(`e${i}`, clean(list[i]!));
          b.apply(`e${order[0]}`, clean(list[order[0]!]!));
          expect(b.partition()).toEqual(a.partition());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("purchaseKeys", () => {
  it("keys the buyers of Charged events only, each key once, and is null without a purchase", () => {
    const charged = { name: "Charged", identifiers: { email: "ana@example.com", cartToken: "c1", customerId: "7" } };
    const again = { name: "Charged", identifiers: { email: "ana@example.com", checkoutToken: "k1" } };
    const snapshot = { name: "Cart Snapshot", identifiers: { cartToken: "c2", email: "bo@example.com" } };
    expect(purchaseKeys([snapshot, charged, again])?.sort()).toEqual(["cartToken:c1", "checkoutToken:k1", "customerId:7", "email:ana@example.com"]);
    expect(purchaseKeys([snapshot])).toBeNull();
    expect(purchaseKeys([])).toBeNull();
  });
});
