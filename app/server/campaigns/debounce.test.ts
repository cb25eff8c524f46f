import { type Db, campaignEpisodes, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { configureIngest, ingest } from "../ingest/service.ts";
import { createTestRuntime } from "../testing.ts";
import { handleCartActivity } from "./activity.ts";
import { ensureDefaultCampaign } from "./repository.ts";

// "Every later cart change inside an open episode pushes the pending step's due time to
// last change + delay": through the real ingest, including a removal and a re-add of the same
// item in ONE delivery, which leave the lines as they were.
const T0 = Date.UTC(2026, 2, 2, 12, 0, 0);
const SEC = 1000;
const MIN = 60 * SEC;
const at = (ms: number) => new Date(T0 + ms);

describeEachDatabase("debounce through ingest", (database) => {
  async function setup() {
    const shop = randomShop("debounce");
    const db = database().db as Db;
    await db.insert(shops).values({ shop, timezone: "UTC", currency: "USD" });
    await ensureDefaultCampaign(db, shop);
    const runtime = createTestRuntime(database());
    configureIngest(runtime, { onActivity: handleCartActivity });
    let n = 0;
    const browser = { clientId: "browser-1", cartToken: "c1-debounce" };
    const send = async (receivedMs: number, events: { name: string; ms: number; variantId: string; quantity: number }[]) => {
      const items = events.map(({ ms, ...e }) => ({ id: `e${n++}`, occurredAt: at(ms).toISOString(), ...browser, ...e }));
      const outcome = await ingest(runtime, { shop, source: "api", items, receivedAt: at(receivedMs) });
      if (outcome.type !== "ok" || outcome.summary.accepted !== items.length) throw new Error(JSON.stringify(outcome));
    };
    const dueAt = async () => (await db.select().from(campaignEpisodes).where(eq(campaignEpisodes.shop, shop))).map((e) => [e.status, e.dueAt]);
    return { send, dueAt };
  }
  const add = (ms: number, variantId = "1001") => ({ name: "Added to Cart", ms, variantId, quantity: 1 });
  const remove = (ms: number, variantId = "1001") => ({ name: "Removed from Cart", ms, variantId, quantity: 1 });

  it("moves the due time on a removal and a re-add delivered apart", async () => {
    const s = await setup();
    await s.send(0, [add(0), add(20 * SEC, "1002")]);
    await s.send(5 * MIN, [remove(5 * MIN)]);
    await s.send(6 * MIN, [add(6 * MIN)]);
    expect(await s.dueAt()).toEqual([["open", at(21 * MIN)]]);
  });

  it("moves the due time when the cart is emptied and refilled with the same item in later deliveries", async () => {
    const s = await setup();
    await s.send(0, [add(0)]);
    await s.send(5 * MIN, [remove(5 * MIN)]);
    await s.send(6 * MIN, [add(6 * MIN)]);
    expect(await s.dueAt()).toEqual([["closed", null], ["open", at(21 * MIN)]]);
  });

  it("moves the due time when the removal arrives after the re-add", async () => {
    const s = await setup();
    await s.send(0, [add(0), add(20 * SEC, "1002")]);
    await s.send(6 * MIN, [add(6 * MIN)]);
    await s.send(7 * MIN, [remove(5 * MIN)]);
    expect(await s.dueAt()).toEqual([["open", at(21 * MIN)]]);
  });

  it("moves the due time on a removal and a re-add of the same item in one delivery", async () => {
    const s = await setup();
    await s.send(0, [add(0), add(20 * SEC, "1002")]);
    await s.send(6 * MIN, [remove(5 * MIN), add(6 * MIN)]);
    expect(await s.dueAt()).toEqual([["open", at(21 * MIN)]]);
  });

  it("moves the due time when the only item is removed and re-added in one delivery", async () => {
    const s = await setup();
    await s.send(0, [add(0)]);
    await s.send(6 * MIN, [remove(5 * MIN), add(6 * MIN)]);
    const episodes = await s.dueAt();
    expect(episodes.filter(([status]) => status === "open")).toEqual([["open", at(21 * MIN)]]);
  });
});
