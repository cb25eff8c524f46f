import type { CartActivity } from "@cartback/core/profile/activity";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { profiles } from "@cartback/db";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { findProfileId, listProfileEvents, loadProfileState } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { ingestRuntime, installShop } from "./testing.ts";
import { configureIngest, ingest } from "./service.ts";

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 1, 12, minutes)).toISOString();

describeEachDatabase("profile merges", (database) => {
  let runtime: Runtime;
  const activities: CartActivity[] = [];
  beforeAll(() => {
    runtime = ingestRuntime(database());
    configureIngest(runtime, {
      async onActivity(_tx, batch) {
        activities.push(...batch);
      },
    });
  });

  let clock = Date.UTC(2026, 2, 1, 13);
  const send = (shop: string, items: unknown[]) => {
    clock += 1000;
    return ingest(runtime, { shop, source: "api", items, receivedAt: new Date(clock) });
  };

  it("merges an anonymous browser into the known shopper when its checkout brings their email, keeping both histories and carts", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    await send(shop, [
      { id: "k1", name: "Identify", occurredAt: at(0), customerId: "7", email: "ana@example.com" },
      { id: "k2", name: "Cart Snapshot", occurredAt: at(1), customerId: "7", cartToken: "c1-phone", lines: [{ variantId: "11", quantity: 1 }] },
    ]);
    await send(shop, [{ id: "a1", name: "Added to Cart", occurredAt: at(5), clientId: "laptop", cartToken: "c1-laptop", variantId: "22", quantity: 2 }]);
    const known = await findProfileId(database().db, shop, "email", "ana@example.com");
    const anonymous = await findProfileId(database().db, shop, "clientId", "laptop");
    expect(known).not.toBe(anonymous);

    await send(shop, [{ id: "c1", name: "Checkout Started", occurredAt: at(10), clientId: "laptop", cartToken: "c1-laptop", checkoutToken: "chk", email: "ANA@example.com" }]);
    const survivor = await findProfileId(database().db, shop, "clientId", "laptop");
    expect(survivor).toBe(known);
    const state = await loadProfileState(database().db, shop, anonymous!);
    expect(state?.profileId).toBe(known);
    expect(state?.cart.map((l) => [l.variantId, l.quantity])).toEqual([["11", 1], ["22", 2]]);
    expect((await listProfileEvents(database().db, shop, known!)).map((e) => e.id)).toEqual(["k1", "k2", "a1", "c1"]);
    const [tombstone] = await database().db.select().from(profiles).where(and(eq(profiles.shop, shop), eq(profiles.id, anonymous!)));
    expect(tombstone?.mergedInto).toBe(known);
    expect(activities.filter((a) => a.shop === shop && a.kind === "merged")).toEqual([
      { kind: "merged", shop, profileId: known, mergedIds: [anonymous], at: new Date(at(10)) },
    ]);
  });
});
