import { randomUUID } from "node:crypto";
import { type Database, type Db, campaignEpisodes, profiles, schema, shops } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import type { Logger } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { expect, it } from "vitest";
import { decideDue } from "./decide-due.ts";
import { defaultDeps } from "./deps.ts";
import { ensureDefaultCampaign, updateCampaign } from "./repository.ts";
import { TestClock, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");

/** A second Drizzle handle on the same connection(s) that counts every statement it sends. */
function countingDb(database: Database): { db: Db; statements: string[] } {
  const statements: string[] = [];
  const logger: Logger = { logQuery: (query) => void statements.push(query) };
  const client = (database.db as unknown as { $client: never }).$client;
  const db = database.kind === "pglite" ? drizzlePglite({ client, schema, logger }) : drizzlePg({ client, schema, logger });
  return { db: db as unknown as Db, statements };
}

describeEachDatabase("decideDue reads and writes a batch in a fixed number of statements", (database) => {
  /** A shop with `n` shoppers (stored profiles, real read model), each with an episode due now. */
  async function shopWithDue(n: number, profile: { charged?: boolean } = {}) {
    const shop = randomShop("stmt");
    const db = database().db as Db;
    await db.insert(shops).values({ shop, name: "Counted Boards" });
    const campaign = await ensureDefaultCampaign(db, shop);
    // A cap makes the batch read recent sends too: the fullest set of reads.
    await updateCampaign(db, shop, campaign.id, { settings: { frequencyCap: { count: 3, windowMs: 86_400_000 } } });
    const at = new Date(T0.getTime() - 20 * 60_000);
    const ids = Array.from({ length: n }, () => randomUUID());
    await db.insert(profiles).values(ids.map((id) => ({
      shop, id, createdAt: at, email: `${id.slice(0, 8)}@example.com`, marketingConsent: "subscribed",
      cart: [{ variantId: "111", quantity: 1, unitPrice: 2999, currency: "USD", firstAddedAt: at.toISOString(), lastChangedAt: at.toISOString() }],
      charges: profile.charged ? [{ orderId: "1", at: T0.toISOString(), cartToken: null, checkoutToken: null }] : [],
    })));
    await db.insert(campaignEpisodes).values(ids.map((profileId) => ({
      id: randomUUID(), shop, campaignId: campaign.id, profileId, status: "open", startedAt: at, lastChangeAt: at, nextStep: 0, dueAt: T0,
    })));
    return shop;
  }

  async function statementsFor(shop: string): Promise<{ statements: string[]; decided: number; sent: number }> {
    const counting = countingDb(database());
    const ctx = testSchedulerContext(database(), defaultDeps(), new TestClock(T0), shop, { db: counting.db });
    const { decided, sends } = await decideDue(ctx, 200);
    return { statements: counting.statements, decided, sent: sends.length };
  }

  it("sends to 1 and to 100 due shoppers with the same statements", async () => {
    const one = await statementsFor(await shopWithDue(1));
    const hundred = await statementsFor(await shopWithDue(100));
    expect(one).toMatchObject({ decided: 1, sent: 1 });
    expect(hundred).toMatchObject({ decided: 100, sent: 100 });
    expect(hundred.statements.length).toBe(one.statements.length);
    // claim, campaigns, the capped profiles' locks, shops (2), profiles, sends made, suppressions,
    // breaker (3), recent sends, catalog rows, episodes, outbox; node-postgres also logs BEGIN and COMMIT.
    expect(one.statements.length).toBeLessThanOrEqual(database().kind === "postgres" ? 17 : 15);
  });

  it("skips 1 and 100 due shoppers (bought since) with the same statements", async () => {
    const one = await statementsFor(await shopWithDue(1, { charged: true }));
    const hundred = await statementsFor(await shopWithDue(100, { charged: true }));
    expect(one).toMatchObject({ decided: 1, sent: 0 });
    expect(hundred).toMatchObject({ decided: 100, sent: 0 });
    expect(hundred.statements.length).toBe(one.statements.length);
  });
});
