import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { shops } from "@cartback/db";
import { expect, it } from "vitest";
import { ingest } from "../ingest/service.ts";
import { createTestRuntime } from "../testing.ts";
import { findProfileId, listProfileEvents, loadProfileState } from "./repository.ts";
import { pruneEventHistory } from "./retention.ts";

const DAY = 24 * 60 * 60 * 1000;
const now = new Date("2026-06-01T00:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

describeEachDatabase("event history retention", (database) => {
  it("drops events older than the retention, keeps purchases and identity, and re-derives the cart", async () => {
    const shop = randomShop();
    await database().db.insert(shops).values({ shop });
    const runtime = createTestRuntime(database());
    const outcome = await ingest(runtime, {
      shop,
      source: "api",
      receivedAt: now,
      items: [
        { id: "old-add", name: "Added to Cart", occurredAt: ago(120), clientId: "b", variantId: "1" },
        { id: "old-who", name: "Identify", occurredAt: ago(119), clientId: "b", email: "ana@example.com" },
        { id: "old-buy", name: "Charged", occurredAt: ago(100), clientId: "b", orderId: "77" },
        { id: "new-add", name: "Added to Cart", occurredAt: ago(2), clientId: "b", variantId: "2" },
        { id: "new-add-old-line", name: "Added to Cart", occurredAt: ago(95), clientId: "b", variantId: "3" },
      ],
    });
    expect(outcome.type === "ok" && outcome.summary.accepted).toBe(5);
    const profileId = (await findProfileId(database().db, shop, "clientId", "b"))!;
    expect((await loadProfileState(database().db, shop, profileId))?.cart.map((l) => l.variantId)).toEqual(["3", "2"]);

    const pruned = await pruneEventHistory(database(), shop, { now, retentionDays: 90 });
    expect(pruned).toEqual({ profiles: 1, deleted: 2 });
    expect((await listProfileEvents(database().db, shop, profileId)).map((e) => e.id)).toEqual(["old-who", "old-buy", "new-add"]);
    const state = await loadProfileState(database().db, shop, profileId);
    expect(state?.cart.map((l) => l.variantId)).toEqual(["2"]);
    expect(state?.email).toBe("ana@example.com");
    expect(state?.charges.map((c) => c.orderId)).toEqual(["77"]);
    expect(await pruneEventHistory(database(), shop, { now, retentionDays: 90 })).toEqual({ profiles: 0, deleted: 0 });
  });
});
