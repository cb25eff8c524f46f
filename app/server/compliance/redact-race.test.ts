import { conflictRetries, profileEvents, profiles } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq, inArray, isNotNull, notExists, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { handleCartActivity } from "../campaigns/activity.ts";
import { ensureDefaultCampaign } from "../campaigns/repository.ts";
import { configureIngest, ingest } from "../ingest/service.ts";
import { ingestRuntime, installShop } from "../ingest/testing.ts";
import { handleCompliance } from "./handle.ts";
import { SHOP_TABLES } from "./tables.ts";

/** Concurrency exists on PostgreSQL only (PGlite is one connection): there, many rounds. */
const ROUNDS = { postgres: 30, pglite: 4 };
const BATCHES_PER_ROUND = 6;
let sequence = 0;

/** One request of a shopper's events (browser, email, customer id, cart), all linked. */
function shopperBatch(round: number, batch: number) {
  const who = { clientId: `browser-${round}`, email: `shopper${round}@example.com`, customerId: `${9000 + round}`, cartToken: `cart-${round}` };
  const at = new Date(Date.UTC(2026, 10, 20, 12, 0, sequence++)).toISOString();
  return [
    { id: `r${round}-b${batch}-add`, name: "Added to Cart", occurredAt: at, ...who, variantId: String(100 + batch), quantity: 1 },
    { id: `r${round}-b${batch}-id`, name: "Identify", occurredAt: at, ...who, via: "login" },
  ];
}

describeEachDatabase("GDPR redaction racing ingest of the same shopper", (database, target) => {
  async function setUp() {
    const shop = randomShop();
    await installShop(database(), shop);
    await ensureDefaultCampaign(database().db, shop);
    // Ingest opens abandonment episodes in its transaction, as in production: rows the
    // redaction deletes too.
    const runtime = ingestRuntime(database());
    configureIngest(runtime, { onActivity: handleCartActivity });
    return { shop, runtime };
  }

  /** Submits the batches at once with the redaction among them; returns the accepted batches. */
  async function race(shop: string, runtime: ReturnType<typeof ingestRuntime>, round: number, redact: () => Promise<unknown>) {
    const submit = (batch: number) => ingest(runtime, { shop, source: "api", items: shopperBatch(round, batch), receivedAt: new Date() });
    const [outcomes] = await Promise.all([
      Promise.all(Array.from({ length: BATCHES_PER_ROUND }, (_, batch) => submit(batch))),
      (async () => {
        // After the first batches reached the queue, while they commit.
        await new Promise((resolve) => setImmediate(resolve));
        await redact();
      })(),
    ]);
    return outcomes.flatMap((outcome, batch) => (outcome.type === "ok" && outcome.summary.accepted === 2 ? [batch] : []));
  }

  /** Each request's events were stored together or redacted together, never half. */
  async function expectWholeBatches(shop: string, round: number, accepted: number[]) {
    const stored = await database().db.select({ id: profileEvents.id }).from(profileEvents)
      .where(and(eq(profileEvents.shop, shop), sql`${profileEvents.id} like ${`r${round}-%`}`));
    const ids = new Set(stored.map((row) => row.id));
    for (const batch of accepted) {
      const kept = [`r${round}-b${batch}-add`, `r${round}-b${batch}-id`].filter((id) => ids.has(id));
      expect(kept.length === 0 || kept.length === 2, `round ${round} batch ${batch}: ${kept}`).toBe(true);
    }
  }

  /** No row of any shopper table points at a profile that is gone. */
  async function expectNoOrphans(shop: string) {
    for (const { name, table, shop: shopColumn, profileId } of SHOP_TABLES) {
      if (!profileId) continue;
      const orphans = await database().db.select({ profileId }).from(table).where(and(
        eq(shopColumn, shop), isNotNull(profileId),
        notExists(database().db.select({ id: profiles.id }).from(profiles).where(and(eq(profiles.shop, shop), eq(profiles.id, profileId)))),
      ));
      expect(orphans, name).toEqual([]);
    }
  }

  it(`customers/redact racing the shopper's own events: no lost deadlock, nothing half-redacted (${ROUNDS[target]} rounds)`, async () => {
    const { shop, runtime } = await setUp();
    const before = conflictRetries();
    for (let round = 0; round < ROUNDS[target]; round++) {
      const seeded = await ingest(runtime, { shop, source: "api", items: shopperBatch(round, 99), receivedAt: new Date() });
      expect(seeded).toMatchObject({ type: "ok", summary: { accepted: 2 } });
      const customer = { id: 9000 + round, email: `Shopper${round}@example.com`, phone: null };
      const accepted = await race(shop, runtime, round, async () => {
        const result = await handleCompliance(database().db, { shop, webhookId: `redact-${shop}-${round}`, topic: "customers/redact", payload: { customer } });
        expect(result.type).toBe("done");
      });
      expect(accepted.length).toBe(BATCHES_PER_ROUND);
      await expectWholeBatches(shop, round, accepted);
      // The seed came before the redaction: it is gone whatever raced it.
      const seed = await database().db.select().from(profileEvents).where(and(eq(profileEvents.shop, shop), inArray(profileEvents.id, [`r${round}-b99-add`, `r${round}-b99-id`])));
      expect(seed).toEqual([]);
    }
    await expectNoOrphans(shop);
    const after = conflictRetries();
    expect({ deadlocks: after.deadlocks - before.deadlocks, serializationFailures: after.serializationFailures - before.serializationFailures }, target).toEqual({ deadlocks: 0, serializationFailures: 0 });
  }, 180_000);

  it(`shop/redact racing ingest of the shop: no lost deadlock, every request stored whole or removed whole (${ROUNDS[target]} rounds)`, async () => {
    const before = conflictRetries();
    for (let round = 0; round < ROUNDS[target]; round++) {
      const { shop, runtime } = await setUp();
      await ingest(runtime, { shop, source: "api", items: shopperBatch(round, 99), receivedAt: new Date() });
      const accepted = await race(shop, runtime, round, async () => {
        const result = await handleCompliance(database().db, { shop, webhookId: `shop-redact-${shop}`, topic: "shop/redact", payload: {} });
        expect(result.type).toBe("done");
      });
      await expectWholeBatches(shop, round, accepted);
      await expectNoOrphans(shop);
    }
    const after = conflictRetries();
    expect({ deadlocks: after.deadlocks - before.deadlocks, serializationFailures: after.serializationFailures - before.serializationFailures }, target).toEqual({ deadlocks: 0, serializationFailures: 0 });
  }, 180_000);
});
