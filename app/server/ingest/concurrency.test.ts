import { profileEvents, profiles } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq, isNull } from "drizzle-orm";
import { expect, it } from "vitest";
import { findProfileId, loadProfileState } from "../profiles/repository.ts";
import { ingest } from "./service.ts";
import { ingestRuntime, installShop } from "./testing.ts";

const at = (seconds: number) => new Date(Date.UTC(2026, 4, 1, 10, 0, seconds)).toISOString();
const SHOPPERS = 4;
const REQUESTS = 24;

/**
 * Each shopper's identifiers first appear in several requests sent at once, through two
 * runtimes (each with its own ingest queue, as two server processes would be), so several
 * transactions race to create a profile for the same new identifier. Two shops get the
 * same identifiers at the same time (grouped into the same transactions): each keeps its own.
 */
function event(i: number) {
  const k = i % SHOPPERS;
  const ids = [{ clientId: `b-${k}` }, { cartToken: `c-${k}` }, { clientId: `b-${k}`, cartToken: `c-${k}` }, { cartToken: `c-${k}`, email: `s${k}@example.com` }][Math.floor(i / SHOPPERS) % 4]!;
  return { id: `e${i}`, name: "Added to Cart", occurredAt: at(i), ...ids, variantId: String(1000 + i), quantity: 1 };
}

/** Each request also repeats a later request's event (same shopper): stored and counted once. */
const request = (i: number) => [event(i), event((i + SHOPPERS) % REQUESTS)];

describeEachDatabase("concurrent ingest of new identifiers", (database) => {
  it("creates one profile per shopper and shop, whatever the interleaving, with every add counted once", async () => {
    const shops = [randomShop(), randomShop()];
    for (const shop of shops) await installShop(database(), shop);
    const runtimes = [ingestRuntime(database()), ingestRuntime(database())];
    const outcomes = await Promise.all(
      Array.from({ length: REQUESTS * 2 }, (_, n) =>
        ingest(runtimes[Math.floor(n / 2) % 2]!, { shop: shops[n % 2]!, source: "api", items: request(Math.floor(n / 2)), receivedAt: new Date(Date.UTC(2026, 4, 1, 11)) }),
      ),
    );
    const accepted = outcomes.reduce((sum, o) => sum + (o.type === "ok" ? o.summary.accepted : 0), 0);
    expect(accepted).toBe(REQUESTS * 2);
    for (const shop of shops) await expectOneProfilePerShopper(shop);
  });

  async function expectOneProfilePerShopper(shop: string) {

    const live = await database().db.select().from(profiles).where(and(eq(profiles.shop, shop), isNull(profiles.mergedInto)));
    expect(live).toHaveLength(SHOPPERS);
    for (let k = 0; k < SHOPPERS; k++) {
      const owners = await Promise.all([
        findProfileId(database().db, shop, "clientId", `b-${k}`),
        findProfileId(database().db, shop, "cartToken", `c-${k}`),
        findProfileId(database().db, shop, "email", `s${k}@example.com`),
      ]);
      expect(new Set(owners).size).toBe(1);
      const state = await loadProfileState(database().db, shop, owners[0]!);
      const expected = Array.from({ length: REQUESTS }, (_, i) => i).filter((i) => i % SHOPPERS === k);
      expect(state?.cart.map((l) => [l.variantId, l.quantity]).sort()).toEqual(expected.map((i) => [String(1000 + i), 1]).sort());
    }
    const stored = await database().db.select({ id: profileEvents.id }).from(profileEvents).where(eq(profileEvents.shop, shop));
    expect(stored).toHaveLength(REQUESTS);
  }
});

/**
 * A merge races attaches to the profile it merges away: each shopper has a known profile
 * (email) and an anonymous browser profile (client id + cart token); one request brings the
 * browser's email (merging the browser into the known profile) while others, through the
 * other runtime, add items by cart token alone (an identifier the merging request does not
 * carry). Every add must end up on the survivor, none on the merged-away profile.
 */
describeEachDatabase("concurrent merge and attach", (database) => {
  const SHOPPERS_M = 6;
  const ADDS = 4;
  it("moves every identifier and event to the survivor while other requests attach to the merged profile", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const runtimes = [ingestRuntime(database()), ingestRuntime(database())];
    const send = (runtime: number, items: unknown[]) => ingest(runtimes[runtime]!, { shop, source: "api", items, receivedAt: new Date(Date.UTC(2026, 4, 1, 11)) });
    for (let k = 0; k < SHOPPERS_M; k++) {
      await send(0, [{ id: `known-${k}`, name: "Identify", occurredAt: at(0), email: `m${k}@example.com`, customerId: String(500 + k) }]);
      await send(0, [{ id: `anon-${k}`, name: "Added to Cart", occurredAt: at(1), clientId: `mb-${k}`, cartToken: `mc-${k}`, variantId: "1", quantity: 1 }]);
    }
    const outcomes = await Promise.all(
      Array.from({ length: SHOPPERS_M }, (_, k) => [
        send(k % 2, [{ id: `merge-${k}`, name: "Identify", occurredAt: at(10), clientId: `mb-${k}`, email: `m${k}@example.com`, via: "form" }]),
        ...Array.from({ length: ADDS }, (_, j) =>
          send((k + 1) % 2, [{ id: `add-${k}-${j}`, name: "Added to Cart", occurredAt: at(20 + j), cartToken: `mc-${k}`, variantId: String(10 + j), quantity: 1 }]),
        ),
      ]).flat(),
    );
    expect(outcomes.map((o) => (o.type === "ok" ? o.summary.accepted : 0))).toEqual(outcomes.map(() => 1));
    for (let k = 0; k < SHOPPERS_M; k++) {
      const owners = await Promise.all([
        findProfileId(database().db, shop, "clientId", `mb-${k}`),
        findProfileId(database().db, shop, "cartToken", `mc-${k}`),
        findProfileId(database().db, shop, "email", `m${k}@example.com`),
      ]);
      expect(new Set(owners).size).toBe(1);
      const survivor = owners[0]!;
      const state = await loadProfileState(database().db, shop, survivor);
      expect(state?.cart.map((l) => [l.variantId, l.quantity]).sort()).toEqual([["1", 1], ...Array.from({ length: ADDS }, (_, j) => [String(10 + j), 1])].sort());
      const onSurvivor = await database().db.select({ id: profileEvents.id }).from(profileEvents).where(and(eq(profileEvents.shop, shop), eq(profileEvents.profileId, survivor)));
      expect(onSurvivor.map((e) => e.id).sort()).toEqual([`known-${k}`, `anon-${k}`, `merge-${k}`, ...Array.from({ length: ADDS }, (_, j) => `add-${k}-${j}`)].sort());
    }
    const live = await database().db.select().from(profiles).where(and(eq(profiles.shop, shop), isNull(profiles.mergedInto)));
    expect(live).toHaveLength(SHOPPERS_M);
  });
});

/**
 * A batch with more identifiers than get a lock each locks its shop whole; small batches of
 * the same shoppers race it and must still stitch into one profile per shopper.
 */
describeEachDatabase("concurrent large and small batches", (database) => {
  const SHOPPERS_L = 80;
  it("creates one profile per shopper when a shop-locked batch races identifier-locked ones", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const runtimes = [ingestRuntime(database()), ingestRuntime(database())];
    const send = (runtime: number, items: unknown[]) => ingest(runtimes[runtime]!, { shop, source: "api", items, receivedAt: new Date(Date.UTC(2026, 4, 1, 11)) });
    const add = (id: string, ids: Record<string, string>, variantId: string) => ({ id, name: "Added to Cart", occurredAt: at(1), ...ids, variantId, quantity: 1 });
    const large = Array.from({ length: SHOPPERS_L }, (_, k) => add(`big-${k}`, { clientId: `lb-${k}`, cartToken: `lc-${k}` }, "1"));
    const outcomes = await Promise.all([
      send(0, large),
      ...Array.from({ length: SHOPPERS_L / 4 }, (_, j) => send(1, [0, 1, 2, 3].map((i) => add(`small-${4 * j + i}`, { cartToken: `lc-${4 * j + i}`, email: `l${4 * j + i}@example.com` }, "2")))),
    ]);
    expect(outcomes.reduce((sum, o) => sum + (o.type === "ok" ? o.summary.accepted : 0), 0)).toBe(SHOPPERS_L * 2);
    for (let k = 0; k < SHOPPERS_L; k += 7) {
      const owners = await Promise.all([
        findProfileId(database().db, shop, "clientId", `lb-${k}`),
        findProfileId(database().db, shop, "cartToken", `lc-${k}`),
        findProfileId(database().db, shop, "email", `l${k}@example.com`),
      ]);
      expect(new Set(owners).size).toBe(1);
      const state = await loadProfileState(database().db, shop, owners[0]!);
      expect(state?.cart.map((l) => [l.variantId, l.quantity]).sort()).toEqual([["1", 1], ["2", 1]]);
    }
    const live = await database().db.select().from(profiles).where(and(eq(profiles.shop, shop), isNull(profiles.mergedInto)));
    expect(live).toHaveLength(SHOPPERS_L);
  });
});
