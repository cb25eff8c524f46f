import { randomUUID } from "node:crypto";
import { testProfile } from "@cartback/core/campaign/testing";
import type { CartActivity } from "@cartback/core/profile/activity";
import { campaignDecisions, campaignSends, type Db } from "@cartback/db";
import { describeEachDatabase, randomShop } from "@cartback/db/testing";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOutboxTransport } from "../mail/outbox.ts";
import type { MailTransport } from "../mail/transport.ts";
import { handleCartActivity } from "./activity.ts";
import { ALLOWANCE_TTL_MS, AllowanceCache, HELD_REASON, SLOW_READ_TTL_MS, allowanceKeptMs, heldRecently, loadBreaker } from "./breaker.ts";
import { ensureDefaultCampaign } from "./repository.ts";
import { TestClock, drain, memoryProfiles, testSchedulerContext } from "./testing.ts";

const T0 = new Date("2026-03-02T12:00:00Z");
const MIN = 60_000;

let outbox: MailTransport;
beforeAll(async () => {
  const { mkdtemp } = await import("node:fs/promises");
  const { tmpdir } = await import("node:os");
  outbox = createOutboxTransport(await mkdtemp(`${tmpdir()}/cartback-breaker-`));
});
afterAll(() => outbox?.close());

// Issue 13, finding 1 ("on top"): whatever gets past the trust rules, a shop that suddenly
// mails far more new people per hour than it normally does is held, not turned into a relay.
describeEachDatabase("new-recipient breaker", (database) => {
  it("holds first-time recipients past the hourly allowance, lets earlier recipients through, and says so", async () => {
    const shop = randomShop("brk");
    const db = database().db as Db;
    await ensureDefaultCampaign(db, shop);
    const clock = new TestClock(T0);
    const { profiles, deps } = memoryProfiles();
    const ids = Array.from({ length: 5 }, () => randomUUID());
    for (const profileId of ids) profiles.set(profileId, testProfile({ shop, profileId, email: `${profileId.slice(0, 8)}@example.com` }));
    const ctx = { ...testSchedulerContext(database(), deps, clock, shop), newRecipientsPerHour: 3 };
    const changed = (profileId: string, at: Date) =>
      db.transaction((tx) => handleCartActivity(tx as unknown as Db, [{ shop, profileId, kind: "cart_changed", at, added: true, lineCount: 1 } as CartActivity]));

    for (const id of ids) await changed(id, T0);
    clock.set(new Date(T0.getTime() + 15 * MIN));
    expect(await drain(ctx, outbox)).toBe(3);
    const held = await db.select().from(campaignDecisions).where(and(eq(campaignDecisions.shop, shop), eq(campaignDecisions.reason, HELD_REASON)));
    expect(held.map((d) => d.outcome)).toEqual(["deferred", "deferred"]);
    expect(await heldRecently(db, shop, clock.now())).toBe(2);

    // A shopper mailed before is no new recipient: a new cart of theirs goes out at once.
    const mailedBefore = ids.find((id) => !held.some((d) => d.profileId === id))!;
    await changed(mailedBefore, clock.now());
    clock.advance(15 * MIN + 1);
    expect(await drain(ctx, outbox)).toBe(1);

    // An hour later the allowance is back and the held ones go out.
    clock.advance(60 * MIN);
    expect(await drain(ctx, outbox)).toBe(2);
  });
});

describeEachDatabase("new-recipient breaker, one worker's allowance read", (database) => {
  it("counts a worker's new recipients across its rounds at once and sees other workers' after ALLOWANCE_TTL_MS", async () => {
    const shop = randomShop("brc");
    const db = database().db as Db;
    const cache = new AllowanceCache();
    const round = async (profileId: string, at: Date) => {
      const breaker = await loadBreaker(db, [{ shop, profileId }], at, 3, cache);
      const held = breaker.holds(shop, profileId);
      if (!held) breaker.count(shop, profileId);
      return held;
    };
    // Three new recipients decided in three rounds (nothing stored yet: their sends are still being
    // written): the fourth is held, as if the rounds had been one batch.
    expect([await round("a", T0), await round("b", T0), await round("c", T0), await round("d", T0)]).toEqual([false, false, false, true]);

    // Another worker's three sends, stored: this worker sees them at its next read of the allowance.
    const other = new Date(T0.getTime() + ALLOWANCE_TTL_MS);
    await db.insert(campaignSends).values(["x", "y", "z"].map((p) => ({
      id: randomUUID(), shop, campaignId: "c", episodeId: `e-${p}`, profileId: p, step: 0, idempotencyKey: `${shop}:${p}`, status: "sent", toEmail: `${p}@example.com`,
      message: {}, dueAt: T0, createdAt: T0,
    })));
    expect(await loadBreaker(db, [{ shop, profileId: "e" }], other, 3, cache).then((b) => b.holds(shop, "e"))).toBe(true);
    // An hour on, the allowance is back.
    const later = new Date(T0.getTime() + 61 * MIN);
    expect(await round("f", later)).toBe(false);
  });
});

describe("new-recipient breaker, how long a read is used", () => {
  it("keeps a slow count longer only while more than half the allowance is left", () => {
    const read = { readAt: 0, allowance: 1_000 };
    // A quick count is read again every ALLOWANCE_TTL_MS, whatever is left.
    expect(allowanceKeptMs({ ...read, left: 900, readMs: 5 })).toBe(ALLOWANCE_TTL_MS);
    // A slow one (300 ms) at most a tenth of the time: 3 s, never more than SLOW_READ_TTL_MS.
    expect(allowanceKeptMs({ ...read, left: 900, readMs: 300 })).toBe(3_000);
    expect(allowanceKeptMs({ ...read, left: 900, readMs: 5_000 })).toBe(SLOW_READ_TTL_MS);
    // Half the allowance used or more: other workers' new recipients are seen within a second.
    expect(allowanceKeptMs({ ...read, left: 500, readMs: 300 })).toBe(ALLOWANCE_TTL_MS);
    expect(allowanceKeptMs({ ...read, left: -3, readMs: 300 })).toBe(ALLOWANCE_TTL_MS);
  });
});
