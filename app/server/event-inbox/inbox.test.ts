import { parseEvent } from "@cartback/core/events/parse";
import { eventInbox } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { afterEach, beforeAll, expect, it } from "vitest";
import { ingestRuntime, installShop } from "../ingest/testing.ts";
import { configureIngest } from "../ingest/service.ts";
import { findProfileId, listProfileEvents } from "../profiles/repository.ts";
import type { Runtime } from "../runtime.ts";
import { startEventDrain } from "./drain.ts";
import { keysToForget } from "../compliance/redact.ts";
import { purgeCustomerEvents } from "./redact.ts";
import { eventBacklog, storeEvents } from "./store.ts";

const added = (id: string, clientId: string, extra: Record<string, unknown> = {}) => ({
  id,
  name: "Added to Cart",
  occurredAt: "2026-12-01T10:00:00.000Z",
  clientId,
  cartToken: `cart-${clientId}`,
  variantId: "44843037000001",
  quantity: 1,
  price: "19.99",
  currency: "USD",
  ...extra,
});

async function drained(runtime: Runtime, shop: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if ((await eventBacklog(runtime.database.db, shop)).waiting === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("the event inbox did not drain within 15 s");
}

/** Events as ingest validated and stored them before a crash (acknowledged, never applied). */
async function storedBefore(runtime: Runtime, shop: string, items: Record<string, unknown>[]) {
  const events = items.map((item) => {
    const parsed = parseEvent(item, { shop, source: "api", receivedAt: new Date() });
    if (parsed.type !== "ok") throw new Error(`${parsed.field}: ${parsed.reason}`);
    return { shop, event: parsed.event };
  });
  await storeEvents(runtime.database.db, events);
}

describeEachDatabase("event inbox", (database) => {
  let runtime: Runtime;
  beforeAll(() => {
    runtime = ingestRuntime(database());
  });
  afterEach(() => {
    delete process.env.CARTBACK_EVENT_BURST;
  });

  it("answers a burst 'queued' once the events are stored, and the drain applies each event once", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    process.env.CARTBACK_EVENT_BURST = "-1"; // every request is a burst
    const drain = startEventDrain(runtime);
    try {
      const answers = await Promise.all(
        ["b1", "b2", "b3"].map((browser) => runtime.ingest.submit({ shop, source: "pixel", items: [added(`${browser}-1`, browser), added(`${browser}-1`, browser)], receivedAt: new Date() })),
      );
      for (const answer of answers) {
        if (answer.type !== "ok") throw new Error(answer.type);
        expect(answer.summary).toMatchObject({ queued: 1, duplicate: 1, accepted: 0 });
        expect(answer.summary.results.map((r) => r.status)).toEqual(["queued", "duplicate"]);
      }
      await drained(runtime, shop);
      for (const browser of ["b1", "b2", "b3"]) {
        const profileId = await findProfileId(database().db, shop, "clientId", browser);
        expect(profileId, browser).toBeTruthy();
        expect(await listProfileEvents(database().db, shop, profileId!)).toHaveLength(1);
      }
    } finally {
      await drain.stop();
    }
  });

  it("applies events acknowledged but never applied (a crash after the answer) once; a re-delivered event changes nothing", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    await storedBefore(runtime, shop, [added("crash-1", "crash"), added("crash-2", "crash")]);
    expect((await eventBacklog(database().db, shop)).waiting).toBe(2);
    const drain = startEventDrain(runtime);
    try {
      await drained(runtime, shop);
      const profileId = await findProfileId(database().db, shop, "clientId", "crash");
      expect((await listProfileEvents(database().db, shop, profileId!)).map((e) => e.id).sort()).toEqual(["crash-1", "crash-2"]);
      // The SDK resends an event whose answer it never got: stored again, applied already.
      await storedBefore(runtime, shop, [added("crash-2", "crash")]);
      drain.nudge();
      await drained(runtime, shop);
      expect(await listProfileEvents(database().db, shop, profileId!)).toHaveLength(2);
    } finally {
      await drain.stop();
    }
  });

  it("stores a queued Charged with its buyer's keys, as the claim reads them, and other events without", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    const charged = { id: "buy-1", name: "Charged", occurredAt: "2026-12-01T10:05:00.000Z", orderId: "5001", email: "Ana@Example.com", cartToken: "cart-ana", lines: [] };
    await storedBefore(runtime, shop, [added("ana-0", "ana"), charged]);
    const rows = await database().db.select({ eventId: eventInbox.eventId, keys: eventInbox.purchaseKeys }).from(eventInbox).where(eq(eventInbox.shop, shop));
    const byId = new Map(rows.map((r) => [r.eventId, r.keys]));
    expect(byId.get("ana-0")).toBeNull();
    expect(byId.get("buy-1")?.sort()).toEqual(["cartToken:cart-ana", "email:ana@example.com"]);
  });

  it("keeps the rows when the applying transaction fails (nothing half-applied), and applies them on a later attempt", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    await storedBefore(runtime, shop, [added("fail-1", "fail"), added("fail-2", "fail2")]);
    let failures = 0;
    configureIngest(runtime, {
      onActivity: async () => {
        failures++;
        throw new Error("the campaign hook failed (a crash inside the apply)");
      },
    });
    const drain = startEventDrain(runtime);
    try {
      // Each failed row is marked after its transaction rolled back: wait for the marks, not the hook's count.
      const marked = async () => {
        const rows = await database().db.select().from(eventInbox).where(eq(eventInbox.shop, shop));
        return rows.length === 2 && rows.every((r) => r.attempts === 1 && r.lastError?.includes("campaign hook"));
      };
      await expect.poll(marked, { timeout: 5_000 }).toBe(true);
      expect(failures).toBeGreaterThanOrEqual(3); // the batch, then each half on its own
      expect(await findProfileId(database().db, shop, "clientId", "fail")).toBeNull();
      configureIngest(runtime, {});
      await database().db.update(eventInbox).set({ availableAt: new Date(0) }).where(and(eq(eventInbox.shop, shop)));
      drain.nudge();
      await drained(runtime, shop);
      expect(await findProfileId(database().db, shop, "clientId", "fail")).toBeTruthy();
      expect(await findProfileId(database().db, shop, "clientId", "fail2")).toBeTruthy();
    } finally {
      configureIngest(runtime, {});
      await drain.stop();
    }
  });

  it("applies two shops' backlogs side by side on PostgreSQL, and one transaction at a time on PGlite (one connection)", async () => {
    const both = [randomShop(), randomShop()];
    for (const shop of both) {
      await installShop(database(), shop);
      await storedBefore(runtime, shop, [added(`lane-${shop}`, `lane-${shop}`)]);
    }
    let inside = 0;
    let most = 0;
    // The campaign hook runs inside each applying transaction. The first one waits (up to 3 s; on
    // PGlite, where none can, 0.3 s) for a second to come in beside it: two lanes let it, one cannot.
    const waitMs = database().kind === "postgres" ? 3_000 : 300;
    configureIngest(runtime, {
      onActivity: async () => {
        most = Math.max(most, ++inside);
        for (const until = Date.now() + waitMs; most < 2 && Date.now() < until; ) await new Promise((resolve) => setTimeout(resolve, 20));
        inside--;
      },
    });
    const drain = startEventDrain(runtime);
    try {
      for (const shop of both) await drained(runtime, shop);
    } finally {
      configureIngest(runtime, {});
      await drain.stop();
    }
    for (const shop of both) expect(await findProfileId(database().db, shop, "clientId", `lane-${shop}`), shop).toBeTruthy();
    expect(most).toBe(database().kind === "postgres" ? 2 : 1);
  });

  it("customers/redact deletes waiting events naming the customer or a browser their profile holds, and keeps the others", async () => {
    const shop = randomShop();
    await installShop(database(), shop);
    // Applied before: the customer's profile holds browser "ana-browser".
    await runtime.ingest.submit({ shop, source: "api", items: [added("ana-0", "ana-browser", { email: "Ana@Example.com" })], receivedAt: new Date() });
    const ana = await findProfileId(database().db, shop, "clientId", "ana-browser");
    expect(ana).toBeTruthy();
    await storedBefore(runtime, shop, [added("ana-1", "ana-browser"), added("ana-2", "other-device", { email: "ana@example.com" }), added("bo-1", "bo-browser")]);
    const purged = await database().db.transaction(async (tx) => purgeCustomerEvents(tx as never, shop, await keysToForget(tx as never, shop, { customerId: null, email: "ana@example.com", phone: null }, [ana!])));
    expect(purged).toBe(2);
    const left = await database().db.select({ id: eventInbox.eventId }).from(eventInbox).where(eq(eventInbox.shop, shop));
    expect(left.map((r) => r.id)).toEqual(["bo-1"]);
  });
});
