import { deriveProfile, type ProfileFold } from "@cartback/core/cart/derive";
import { profiles } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { derivedToColumns } from "../profiles/codec.ts";
import { findProfileId, listProfileEvents } from "../profiles/repository.ts";
import { pruneEventHistory } from "../profiles/retention.ts";
import type { Runtime } from "../runtime.ts";
import { ingest } from "./service.ts";
import { ingestRuntime, installShop } from "./testing.ts";

const T0 = Date.UTC(2026, 2, 1, 12);
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describeEachDatabase("stored profile folds", (database) => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = ingestRuntime(database());
  });
  const send = (shop: string, items: unknown[]) => ingest(runtime, { shop, source: "api", items, receivedAt: new Date() });

  async function row(shop: string, profileId: string) {
    const [found] = await database().db.select().from(profiles).where(and(eq(profiles.shop, shop), eq(profiles.id, profileId)));
    return found!;
  }

  /** The stored derived columns are exactly what deriving the whole stored history gives. */
  async function expectWholeHistoryResult(shop: string, profileId: string) {
    const stored = await row(shop, profileId);
    const expected = derivedToColumns(deriveProfile(await listProfileEvents(database().db, shop, profileId)));
    expect({ cart: stored.cart, cartTokens: stored.cartTokens, clientIds: stored.clientIds, charges: stored.charges, email: stored.email }).toEqual({
      cart: expected.cart, cartTokens: expected.cartTokens, clientIds: expected.clientIds, charges: expected.charges, email: expected.email,
    });
    expect(stored.cartChangedAt?.toISOString()).toBe(expected.cartChangedAt?.toISOString());
    expect(stored.lastEventAt?.toISOString()).toBe(expected.lastEventAt?.toISOString());
    return stored;
  }

  /** A shopper browsing for `minutes`: an event every 20 s, adds, removes and cart snapshots. */
  function session(prefix: string, ids: Record<string, string>, fromSecond: number, minutes: number) {
    const items: Record<string, unknown>[] = [];
    for (let s = fromSecond, i = 0; s < fromSecond + minutes * 60; s += 20, i++) {
      const variantId = String(11 + (i % 4));
      const id = `${prefix}-${i}`;
      if (i % 7 === 6) items.push({ id, name: "Cart Snapshot", occurredAt: at(s), ...ids, lines: [{ variantId, quantity: 2 }] });
      else if (i % 3 === 2) items.push({ id, name: "Removed from Cart", occurredAt: at(s), ...ids, variantId });
      else items.push({ id, name: "Added to Cart", occurredAt: at(s), ...ids, variantId, price: "12.50", currency: "USD" });
    }
    return items;
  }

  it("keeps a shopper's fold minutes behind the newest event and derives from it what the whole history gives", async () => {
    const shop = randomShop("fold");
    await installShop(database(), shop);
    const ids = { clientId: "b1", cartToken: "c1-fold" };
    const items = session("e", ids, 0, 30);
    for (let i = 0; i < items.length; i += 3) {
      expect((await send(shop, items.slice(i, i + 3))).type).toBe("ok");
    }
    const profileId = (await findProfileId(database().db, shop, "clientId", "b1"))!;
    const stored = await expectWholeHistoryResult(shop, profileId);
    const fold = stored.fold as ProfileFold;
    // At least five minutes behind the newest event (30 min of events, one every 20 s).
    expect(fold.last?.at).toBeLessThanOrEqual(Date.parse(at(30 * 60 - 20)) - 5 * 60_000);
    expect(fold.last?.at).toBeGreaterThan(Date.parse(at(20 * 60)));

    // A late event (before the fold) and a re-sent event whose stored version is older than
    // the fold but whose copy claims a new time and variant: both still give the whole-history result.
    const late = await send(shop, [{ id: "late", name: "Identify", occurredAt: at(60), ...ids, email: "late@example.com" }]);
    expect(late.type === "ok" && late.summary.results[0]).toMatchObject({ status: "accepted" });
    await expectWholeHistoryResult(shop, profileId);
    const resent = await send(shop, [
      { id: "e-0", name: "Added to Cart", occurredAt: at(40 * 60), ...ids, variantId: "98" },
      { id: "next", name: "Added to Cart", occurredAt: at(40 * 60), ...ids, variantId: "97" },
    ]);
    expect(resent.type === "ok" && resent.summary.results.map((r) => r.status)).toEqual(["duplicate", "accepted"]);
    const after = await expectWholeHistoryResult(shop, profileId);
    expect(JSON.stringify(after.cart)).not.toContain('"98"');
    expect(after.email).toBe("late@example.com");
  });

  it("derives a merge of two shoppers with stored folds from both whole histories", async () => {
    const shop = randomShop("fold");
    await installShop(database(), shop);
    const phone = session("p", { clientId: "phone", cartToken: "c1-phone" }, 0, 12);
    const laptop = session("l", { clientId: "laptop", cartToken: "c1-laptop" }, 5, 12);
    for (let i = 0; i < phone.length; i += 6) {
      await send(shop, phone.slice(i, i + 6));
      await send(shop, laptop.slice(i, i + 6));
    }
    const a = (await findProfileId(database().db, shop, "clientId", "phone"))!;
    const b = (await findProfileId(database().db, shop, "clientId", "laptop"))!;
    expect((await row(shop, a)).fold).not.toBeNull();
    expect((await row(shop, b)).fold).not.toBeNull();
    await send(shop, [{ id: "id-phone", name: "Identify", occurredAt: at(13 * 60), clientId: "phone", email: "ana@example.com" }]);
    await send(shop, [{ id: "id-laptop", name: "Identify", occurredAt: at(13 * 60 + 5), clientId: "laptop", email: "ana@example.com" }]);
    const survivor = (await findProfileId(database().db, shop, "email", "ana@example.com"))!;
    const gone = survivor === a ? b : a;
    const merged = await expectWholeHistoryResult(shop, survivor);
    expect(merged.clientIds).toEqual(expect.arrayContaining(["phone", "laptop"]));
    expect((await listProfileEvents(database().db, shop, survivor)).length).toBe(phone.length + laptop.length + 2);
    expect((await row(shop, gone)).fold).toBeNull();
  });

  it("drops the fold when retention prunes the history, and the next event derives from what is left", async () => {
    const shop = randomShop("fold");
    await installShop(database(), shop);
    const ids = { clientId: "b1", cartToken: "c1-old" };
    const items = session("o", ids, 0, 12);
    for (let i = 0; i < items.length; i += 6) await send(shop, items.slice(i, i + 6));
    const profileId = (await findProfileId(database().db, shop, "clientId", "b1"))!;
    expect((await row(shop, profileId)).fold).not.toBeNull();
    const result = await pruneEventHistory(database(), shop, { now: new Date(T0 + 91 * 86_400_000), retentionDays: 90 });
    expect(result.profiles).toBe(1);
    expect((await row(shop, profileId)).fold).toBeNull();
    await send(shop, [{ id: "new", name: "Added to Cart", occurredAt: at(91 * 86_400 - 10), ...ids, variantId: "55" }]);
    const stored = await expectWholeHistoryResult(shop, profileId);
    expect((stored.cart as { variantId: string }[]).map((l) => l.variantId)).toEqual(["55"]);
  });
});
